package io.tributary.web;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.tributary.functions.AppInjector;
import io.tributary.local.HostLog;
import io.tributary.local.LocalHost;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.history.RunHistory;
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
import org.openqa.selenium.StaleElementReferenceException;
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
    /** Makes the host's function instances; a test that changes the app settings swaps it for a new app. */
    static volatile AppInjector app = new AppInjector();
    static RunHistory history;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the dashboard test needs "
                + "Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER + ": on Debian, apt-get install "
                + "chromium chromium-driver (.ci/run does)");
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", AzuriteExtension.projectRoot().resolve("pipeline-defs")
                .toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 1 1 *"));
        history = new RunHistory(new RunStore(new AzureBlobStore(AZURITE.clients().blobs())));
        host = new LocalHost(AZURITE.clients(), FAST, new HostLog(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false), "dashboard-it", 0, new FunctionInstanceInjector() {
                    @Override
                    public <T> T getInstance(Class<T> functionClass) {
                        return app.getInstance(functionClass);
                    }
                });
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
    static RunId dropAndWait(String name) throws Exception {
        AZURITE.clients().blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("orders/" + name)
                .uploadFromFile(SAMPLE.toString(), true);
        return Eventually.await("a committed run of " + name, Duration.ofSeconds(60), () -> history.runs().stream()
                .filter(r -> r.source() != null && r.source().name().equals("orders/" + name))
                .filter(r -> history.status(r.runId()).map(s -> s.state() == RunState.COMMITTED).orElse(false))
                .map(r -> r.runId()).findFirst());
    }

    @Test
    void theDemosRunItsCountsAndItsLineageAppearAndNewRunsArriveWhileThePageIsOpen() throws Exception {
        RunId runId = dropAndWait("orders-2026-11-07.csv");
        browser.get(host.httpBase().orElseThrow() + "dashboard");
        WebDriverWait wait = waiting(Duration.ofSeconds(30));

        By row = By.cssSelector("#runs tr[data-run-id='" + runId + "']");
        List<String> cells = wait.until(b -> cells(row));
        assertEquals(List.of(runId.text(), "orders", "fileDrop", "committed"), cells.subList(0, 4));
        assertEquals(List.of("280", "235", "3"), cells.subList(6, 9));
        assertEquals("committed", wait.until(b -> cells(By.cssSelector("#pipelines tr[data-pipeline='orders']"))).get(3));
        assertEquals("schedule 0 30 2 * * * (Europe/Berlin)",
                cells(By.cssSelector("#pipelines tr[data-pipeline='order-ledger']")).get(1), "a schedule shows its zone");

        wait.until(b -> {
            b.findElement(row).click();
            return true;
        });
        wait.until(b -> runId.text().equals(b.findElement(By.id("run")).getAttribute("data-run-id")));
        assertEquals(List.of("280", "3", "171", "37", "27"), wait.until(b -> List.of("funnel-read", "funnel-rejected",
                "funnel-split-train", "funnel-split-validation", "funnel-split-test").stream()
                .map(id -> b.findElement(By.id(id)).getAttribute("data-rows")).toList()));
        assertEquals(List.of("extract", "transform 0", "store"), wait.until(b -> b.findElements(
                By.cssSelector("#timeline g.stage")).stream().map(g -> g.getAttribute("data-stage")).toList()));
        assertEquals(3, browser.findElements(By.cssSelector("#rejects tbody tr")).size());
        assertEquals(4, browser.findElements(By.cssSelector("#expectations tbody tr")).size());
        // A row count shows its failed rows as the others do; the rows it counted stand beside its name.
        assertEquals(List.of("rowCount (235 rows)", "passed", "0", "fail"), browser.findElements(
                By.cssSelector("#expectations tr[data-expectation='rowCount'] td")).stream()
                .map(org.openqa.selenium.WebElement::getText).toList());

        wait.until(b -> !b.findElements(By.cssSelector("#graph g.node[data-kind='dataset']")).isEmpty());
        List<String> nodes = wait.until(b -> b.findElements(By.cssSelector("#graph g.node")).stream()
                .map(n -> n.getAttribute("data-kind") + " " + n.getAttribute("data-label")).toList());
        assertTrue(nodes.stream().anyMatch(n -> n.startsWith("blob landing/orders/orders-2026-11-07.csv (ETag 0x")),
                nodes.toString());
        assertTrue(nodes.contains("run orders/" + runId), nodes.toString());
        assertTrue(nodes.contains("dataset training/orders/" + runId + "/ (235 rows)"), nodes.toString());
        assertTrue(nodes.contains("pipeline customer-features"), "the consuming pipeline: " + nodes);
        List<String> links = browser.findElements(By.cssSelector("#graph g.link")).stream()
                .map(l -> l.getAttribute("data-from") + " -> " + l.getAttribute("data-to")).toList();
        assertTrue(links.size() >= 3, links.toString());

        Path shots = Path.of("target", "dashboard");
        Files.createDirectories(shots);
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve("dashboard.png"), png);
        assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");

        RunId second = dropAndWait("orders-2026-11-08.csv");
        By arrived = By.cssSelector("#runs tr[data-run-id='" + second + "']");
        assertEquals("committed", waiting(Duration.ofSeconds(40)).until(b -> "committed".equals(cells(arrived).get(3))
                ? "committed" : null), "the page refreshed itself, without a reload, until the new run committed");
    }

    @Test
    void aFailedRunShowsWhereAndWhyAndCanBeRerunFromThePage() throws Exception {
        AZURITE.clients().blobs().getBlobContainerClient(RunLayout.LANDING).getBlobClient("orders/empty.csv")
                .upload(com.azure.core.util.BinaryData.fromString(
                        "order_id,customer_id,order_date,amount,currency,channel,items,returned\n"), true);
        RunId runId = Eventually.await("the failed run of orders/empty.csv", Duration.ofSeconds(60), () -> history.runs()
                .stream().filter(r -> r.source() != null && r.source().name().equals("orders/empty.csv"))
                .filter(r -> history.status(r.runId()).map(s -> s.state() == RunState.FAILED).orElse(false))
                .map(r -> r.runId()).findFirst());
        browser.get(host.httpBase().orElseThrow() + "dashboard#run=" + runId);
        WebDriverWait wait = waiting(Duration.ofSeconds(30));

        String error = wait.until(b -> runId.text().equals(b.findElement(By.id("run")).getAttribute("data-run-id"))
                ? b.findElement(By.id("run-error")).getText() : null);
        assertTrue(error.startsWith("Failed in store: ") && error.contains("rowCount"), error);
        wait.until(b -> {
            b.findElement(By.cssSelector("#rerun button")).click();
            return true;
        });
        String answer = wait.until(b -> {
            String text = b.findElement(By.cssSelector("#rerun span")).getText();
            return text.isEmpty() ? null : text;
        });
        assertEquals("resuming run " + runId + " from store", answer);
    }

    /**
     * The cells' text of the row {@code row} finds. The page redraws what changed as it refreshes, so a row found
     * may be replaced before it is read: {@link #waiting} asks again.
     */
    @Test
    void brokenDefinitionsAreListedAboveThePipelines(@org.junit.jupiter.api.io.TempDir Path defs) throws Exception {
        Files.writeString(defs.resolve("broken.json"), """
                {"schemaVersion": 1, "name": "broken", "trigger": {"type": "fileDrop", "path": "broken/*.csv"},
                 "source": {"format": "csv", "header": "yes"}, "columns": [{"name": "id", "type": "long"}]}""");
        String before = Settings.get("TRIBUTARY_PIPELINE_DEFS").orElseThrow();
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", defs.toString()));
        app = new AppInjector(); // the host's functions build an app on these definitions
        try {
            browser.get(host.httpBase().orElseThrow() + "dashboard");

            String shown = waiting(Duration.ofSeconds(30)).until(b -> {
                WebElement list = b.findElement(By.id("broken"));
                return list.isDisplayed() ? list.getText() : null;
            });

            assertTrue(shown.startsWith("1 definition is broken and not loaded:\n" + defs.resolve("broken.json")
                    + ":2:40: /source/header: expected true or false"), shown);
        } finally {
            Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", before));
            app = new AppInjector();
        }
    }

    private static List<String> cells(By row) {
        return browser.findElement(row).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    /** A wait that asks again when what it read was replaced by the page's refresh meanwhile. */
    private static WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }
}
