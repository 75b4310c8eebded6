package io.tributary.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.functions.FunctionApp;
import io.tributary.local.HostLog;
import io.tributary.local.LocalHost;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.stage.RunHistory;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, served by the local host over the demo's pipelines: the demo's orders
 * drop shows up as a run with its counts, its stage timeline, its row funnel per split, its rejects and a lineage
 * graph from the dropped blob through the run to the dataset; a second drop appears while the page is open. A
 * screenshot is kept in {@code target/dashboard/}.
 */
class DashboardIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final HostJson FAST = new HostJson(4, 2, 2, Duration.ZERO, Duration.ofMillis(500), Duration.ofMinutes(2));
    static final Path SAMPLE = AzuriteExtension.projectRoot().resolve("pipeline-defs/samples/orders/orders-2026-11-07.csv");

    static LocalHost host;
    static RunHistory history;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the dashboard test needs "
                + "Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER + ": on Debian, apt-get install "
                + "chromium chromium-driver (.ci/run does)");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", AzuriteExtension.projectRoot().resolve("pipeline-defs")
                .toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 1 1 *"));
        FunctionApp.reset();
        history = new RunHistory(new RunStore(new AzureBlobStore(AZURITE.clients().blobs())));
        host = new LocalHost(AZURITE.clients(), FAST, new HostLog(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false), "dashboard-it", 0);
        host.start();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,2000",
                "--user-data-dir=" + Files.createTempDirectory("dashboard-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (host != null) {
            host.stop(Duration.ofSeconds(10));
        }
    }

    /** Drops the demo's orders sample under {@code name} and returns the run it started, once committed. */
    static String dropAndWait(String name) throws Exception {
        AZURITE.clients().blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("orders/" + name)
                .uploadFromFile(SAMPLE.toString(), true);
        return Eventually.await("a committed run of " + name, Duration.ofSeconds(60), () -> history.runs().stream()
                .filter(r -> r.source() != null && r.source().name().equals("orders/" + name))
                .filter(r -> history.status(r.runId()).map(s -> s.state().equals("committed")).orElse(false))
                .map(r -> r.runId()).findFirst());
    }

    @Test
    void theDemosRunItsCountsAndItsLineageAppearAndNewRunsArriveWhileThePageIsOpen() throws Exception {
        String runId = dropAndWait("orders-2026-11-07.csv");
        browser.get(host.httpBase().orElseThrow() + "dashboard");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        WebElement row = wait.until(b -> b.findElement(By.cssSelector("#runs tr[data-run-id='" + runId + "']")));
        assertEquals(List.of(runId, "orders", "fileDrop", "committed"), cells(row).subList(0, 4));
        assertEquals(List.of("280", "235", "3"), cells(row).subList(6, 9));
        assertEquals("committed", cells(browser.findElement(By.cssSelector("#pipelines tr[data-pipeline='orders']"))).get(3));

        row.click();
        wait.until(b -> runId.equals(b.findElement(By.id("run")).getAttribute("data-run-id")));
        assertEquals("280", rows("funnel-read"));
        assertEquals("3", rows("funnel-rejected"));
        assertEquals(List.of("171", "37", "27"), List.of(rows("funnel-split-train"), rows("funnel-split-validation"),
                rows("funnel-split-test")));
        assertEquals(List.of("extract", "transform 0", "store"), browser.findElements(By.cssSelector("#timeline g.stage"))
                .stream().map(g -> g.getAttribute("data-stage")).toList());
        assertEquals(3, browser.findElements(By.cssSelector("#rejects tbody tr")).size());
        assertEquals(4, browser.findElements(By.cssSelector("#expectations tbody tr")).size());

        wait.until(b -> !b.findElements(By.cssSelector("#graph g.node[data-kind='dataset']")).isEmpty());
        List<String> kinds = browser.findElements(By.cssSelector("#graph g.node")).stream()
                .map(n -> n.getAttribute("data-kind")).toList();
        assertTrue(kinds.containsAll(List.of("blob", "run", "dataset")), kinds.toString());
        String graphText = browser.findElement(By.id("graph")).getText();
        assertTrue(graphText.contains("orders-2026-11-07.csv") && graphText.contains(runId.substring(0, 16)), graphText);
        assertTrue(browser.findElements(By.cssSelector("#graph g.link")).size() >= 2);

        Path shots = Path.of("target", "dashboard");
        Files.createDirectories(shots);
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve("dashboard.png"), png);
        assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");

        String second = dropAndWait("orders-2026-11-08.csv");
        WebElement arrived = new WebDriverWait(browser, Duration.ofSeconds(40)).until(b -> b.findElement(
                By.cssSelector("#runs tr[data-run-id='" + second + "']")));
        assertEquals("committed", cells(arrived).get(3), "the page refreshed itself without a reload");
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    private static String rows(String id) {
        return browser.findElement(By.id(id)).getAttribute("data-rows");
    }
}
