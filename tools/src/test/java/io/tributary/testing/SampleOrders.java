package io.tributary.testing;

import java.util.Random;

/**
 * CRM orders as CSV for the tests that compare a disturbed run with an undisturbed one: a reject (an amount that is
 * not a number, a missing amount) now and then, refunds and USD orders that the orders pipeline's steps filter out,
 * items out of range that an expectation drops, customers shared between rows so the split by customer has something
 * to keep together.
 */
public final class SampleOrders {

    private SampleOrders() {
    }

    /** {@code rows} orders with ids from {@code firstId}, drawn from {@code random}. */
    public static String csv(int rows, long firstId, Random random) {
        StringBuilder csv = new StringBuilder("order_id,customer_id,order_date,amount,currency,channel,items,returned\n");
        String[] channels = {"web", "store", "phone", "\"store, outlet\""};
        for (int i = 0; i < rows; i++) {
            int kind = random.nextInt(40);
            String amount = kind == 0 ? "twelve" : kind == 1 ? "" : String.format(java.util.Locale.ROOT, "%d.%02d",
                    random.nextInt(500) + (kind == 2 ? -600 : 1), random.nextInt(100));
            csv.append(firstId + i).append(",C-").append(String.format("%04d", random.nextInt(rows / 4 + 5)))
                    .append(",2026-11-").append(String.format("%02d", 1 + random.nextInt(28))).append(',')
                    .append(amount).append(',').append(kind == 3 ? "USD" : "EUR").append(',')
                    .append(channels[random.nextInt(channels.length)]).append(',')
                    .append(1 + random.nextInt(kind == 4 ? 80 : 9)).append(',').append(random.nextBoolean()).append('\n');
        }
        return csv.toString();
    }
}
