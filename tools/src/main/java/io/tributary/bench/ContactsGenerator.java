package io.tributary.bench;

import java.util.SplittableRandom;

/**
 * A CRM's contact export as CSV: one line per contact update, each contact once, some without a deal value, some
 * with a lifecycle the model does not know ({@code partner}, dropped by an expectation), some test accounts
 * ({@code @test.example}, filtered out). Dirty rows: a deal value
 * {@code 12k}, an empty contact id, an older update of the contact just written (the dedupe keeps the newer), a
 * line with a stray extra field.
 */
public final class ContactsGenerator extends DataGenerator {

    public static final String HEADER = "contact_id,updated_at,email,lifecycle,deal_value,country,marketing";
    private static final String[] LIFECYCLE = {"lead", "lead", "prospect", "customer", "churned"};
    private static final String[] COUNTRY = {"DE", "FR", "NL", "PL", "ES", "IT", "AT", "BE"};
    private static final String[] NAMES = {"anna", "ben", "clara", "david", "eva", "felix", "greta", "leo"};
    private static final String[] DOMAINS = {"example.com", "mail.example", "corp.example", "shop.example",
        "example.com", "mail.example", "corp.example", "test.example"};
    private static final long OLDER = TelemetryGenerator.START - 31L * 86_400;

    public ContactsGenerator(double dirtyShare) {
        super(dirtyShare);
    }

    @Override
    protected String header() {
        return HEADER;
    }

    @Override
    protected void row(StringBuilder row, SplittableRandom random, long index, Dirt dirt, String previous) {
        if (dirt == Dirt.DUPLICATE) {
            // The same contact as the last clean row, in an older update (a month before any other), then a lead.
            int comma = previous.indexOf(',');
            row.append(previous, 0, comma + 1);
            timestamp(row, OLDER + index % 86_400);
            int afterTime = previous.indexOf(',', comma + 1);
            int afterEmail = previous.indexOf(',', afterTime + 1);
            int afterLifecycle = previous.indexOf(',', afterEmail + 1);
            row.append(previous, afterTime, afterEmail + 1).append("lead").append(previous, afterLifecycle,
                    previous.length());
            return;
        }
        if (dirt != Dirt.MISSING_REQUIRED) {
            row.append("C-").append(index);
        }
        row.append(',');
        timestamp(row, TelemetryGenerator.START + index * 7);
        String name = NAMES[random.nextInt(NAMES.length)];
        row.append(',').append(name).append('.').append(index).append('@')
                .append(DOMAINS[random.nextInt(DOMAINS.length)]).append(',')
                .append(random.nextInt(100) == 0 ? "partner" : LIFECYCLE[random.nextInt(LIFECYCLE.length)]).append(',');
        if (dirt == Dirt.BAD_NUMBER) {
            row.append(1 + random.nextInt(99)).append('k');
        } else if (random.nextInt(5) != 0) {
            decimal(row, random.nextDouble() * 20_000, 2);
        }
        row.append(',').append(COUNTRY[random.nextInt(COUNTRY.length)]).append(',').append(random.nextBoolean());
        if (dirt == Dirt.RAGGED) {
            row.append(",see notes");
        }
    }
}
