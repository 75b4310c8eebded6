package io.tributary.bench;

import java.util.SplittableRandom;

/**
 * Device telemetry as an IoT gateway drops it: one reading per line from 2,000 fridges, two readings a second
 * from 2026-11-01 on, some batteries flat (0, filtered out), some doors not reported, some temperatures out of
 * range (dropped by an expectation). Dirty rows: a temperature {@code n/a}, an empty device id, a reading sent
 * twice, a row missing its last field.
 */
public final class TelemetryGenerator extends DataGenerator {

    public static final String HEADER = "device_id,ts,temp_c,humidity,battery_pct,door,firmware";
    static final long START = 1_793_491_200L; // 2026-11-01T00:00:00Z
    private static final String[] FIRMWARE = {"1.4.0", "1.4.1", "1.4.2", "1.5.0"};

    public TelemetryGenerator(double dirtyShare) {
        super(dirtyShare);
    }

    @Override
    protected String header() {
        return HEADER;
    }

    @Override
    protected void row(StringBuilder row, SplittableRandom random, long index, Dirt dirt, String previous) {
        if (dirt == Dirt.DUPLICATE) {
            row.append(previous);
            return;
        }
        if (dirt != Dirt.MISSING_REQUIRED) {
            row.append("fridge-").append(random.nextInt(2000));
        }
        row.append(',');
        timestamp(row, START + index / 2);
        row.append(',');
        if (dirt == Dirt.BAD_NUMBER) {
            row.append("n/a");
        } else {
            decimal(row, random.nextInt(500) == 0 ? 120 + random.nextDouble() * 10 : -4 + random.nextDouble() * 16, 1);
        }
        row.append(',');
        decimal(row, 20 + random.nextDouble() * 60, 1);
        row.append(',').append(random.nextInt(100) == 0 ? 0 : 1 + random.nextInt(100)).append(',');
        int door = random.nextInt(20);
        row.append(door == 0 ? "" : door < 4 ? "open" : "closed");
        if (dirt != Dirt.RAGGED) {
            row.append(',').append(FIRMWARE[random.nextInt(FIRMWARE.length)]);
        }
    }
}
