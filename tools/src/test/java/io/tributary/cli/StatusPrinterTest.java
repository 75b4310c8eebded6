package io.tributary.cli;

import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tributary.run.BlobRef;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.history.RunHistory.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code tributary status} for people: what came from the data prints as text, never as terminal controls. */
class StatusPrinterTest {

    @Test
    void controlCharactersFromTheDataPrintEscaped() {
        // A CSV header that recolours the terminal, returns the carriage and rings the bell, named by the failure.
        String header = "the source's header names the columns [id, \u001b[31mname\r\u0007] but the definition declares "
                + "[id, name]";
        Instant start = Instant.parse("2026-11-22T07:00:00Z");
        Instant end = start.plusSeconds(2);
        RunStatus status = new RunStatus(
                new RunRecord(RunId.parse("20261122T070000Z-0000000001"), "orders\u001b]0;owned\u0007", "fileDrop",
                        new BlobRef("landing",
                        "orders/a\rb.csv", "e"), "h", start, Map.of("region", "eu\nwest")),
                List.of(StageReport.running(Stage.TRANSFORM, 0, start).failed(end, header)),
                Optional.of(RunOutcome.failed(end, Stage.TRANSFORM, 0, header)), Optional.empty());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusPrinter.text(status, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        List<String> lines = printed.lines().toList();
        assertEquals("Run 20261122T070000Z-0000000001 of pipeline orders\\u001b]0;owned\\u0007 (fileDrop, source "
                + "landing/orders/a\\rb.csv)", lines.get(0));
        assertEquals("  parameters: region=eu\\nwest", lines.get(1));
        assertEquals("  error in transform 0: the source's header names the columns [id, \\u001b[31mname\\r\\u0007] "
                + "but the definition declares [id, name]", lines.get(5));
        assertEquals(7, lines.size(), printed);
        assertFalse(printed.chars().anyMatch(c -> c < 0x20 && c != '\n'), printed);
    }
}
