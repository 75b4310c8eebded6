package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellWithNumbersOnTheRight() {
        TextTable table = new TextTable("stage", "status", ">rows in").add("extract", "succeeded")
                .add("transform 10", "failed", 280).add("store", null, 1234567);

        assertEquals(List.of(
                "  stage         status       rows in",
                "  ------------  ---------  ---------",
                "  extract       succeeded",
                "  transform 10  failed           280",
                "  store                    1,234,567"), table.lines("  "), "counts grouped as the dashboard prints them");
    }

    @Test
    void anEmptyTablePrintsNothingAndARowMayNotBeWiderThanTheHeader() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextTable table = new TextTable("a", "b");
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "");

        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertEquals("a row of 3 cells in a table of 2 columns",
                assertThrows(IllegalArgumentException.class, () -> table.add(1, 2, 3)).getMessage());
    }

    @Test
    void cellsFromTheDataPrintTheirControlCharactersEscapedAndStayAligned() {
        TextTable table = new TextTable("pipeline", ">rows").add("a\u001b[2Kb\nc", 1).add("plain", 22);

        assertEquals(List.of(
                "pipeline        rows",
                "--------------  ----",
                "a\\u001b[2Kb\\nc     1",
                "plain             22"), table.lines(""));
    }
}
