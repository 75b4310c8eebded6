package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchSizeTest {

    @Test
    void readsDecimalAndBinaryUnits() {
        assertEquals(200_000_000L, BenchSize.parse("200MB").bytes());
        assertEquals(1_500_000_000L, BenchSize.parse("1.5GB").bytes());
        assertEquals(512L << 20, BenchSize.parse("512MiB").bytes());
        assertEquals(2L << 30, BenchSize.parse("2gib").bytes());
        assertEquals(5_000_000L, BenchSize.parse("5000kB").bytes());
        assertEquals(3_000_000L, BenchSize.parse("3000000").bytes());
        assertEquals(20_000_000L, BenchSize.parse(" 20 MB ").bytes());
    }

    @Test
    void namesItselfInItsLargestWholeUnit() {
        assertEquals("200MB", BenchSize.parse("200MB").toString());
        assertEquals("2GB", BenchSize.parse("2000MB").toString());
        assertEquals("1.5MB", BenchSize.parse("1500kB").toString());
        assertEquals("200MB", BenchSize.DEFAULT.toString());
    }

    @Test
    void refusesWhatIsNoSizeOrTooSmall() {
        IllegalArgumentException notASize = assertThrows(IllegalArgumentException.class,
                () -> BenchSize.parse("lots"));
        assertEquals("--size takes a size such as 200MB, 1GB or 512MiB; got 'lots'", notASize.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchSize.parse("200 TB"));
        assertThrows(IllegalArgumentException.class, () -> BenchSize.parse("-5MB"));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> BenchSize.parse("0.5MB"));
        assertTrue(small.getMessage().contains("at least 1MB"), small.getMessage());
    }
}
