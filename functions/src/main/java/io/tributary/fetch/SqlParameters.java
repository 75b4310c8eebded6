package io.tributary.fetch;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The values of a query's named parameters ({@code :windowEnd}), taken from the run's parameters and bound in order.
 * A value that reads as an ISO instant ({@code 2026-11-22T10:00:00Z}) is bound as a timestamp with a time zone, an ISO
 * date and time as a timestamp, an ISO date as a date; anything else as text, which PostgreSQL then types from where
 * the parameter stands ({@code region = :region}, {@code id > :lastId}) and SQL Server converts as it compares.
 */
final class SqlParameters {

    private final List<String> names;
    private final List<String> values;

    private SqlParameters(List<String> names, List<String> values) {
        this.names = List.copyOf(names);
        this.values = List.copyOf(values);
    }

    /**
     * The values of {@code names} (one per {@code ?}, in order) among the run's {@code parameters}.
     *
     * @throws SourceException CONFIGURATION naming the parameters the query uses that the run does not have
     */
    static SqlParameters of(List<String> names, Map<String, String> parameters) {
        List<String> missing = names.stream().filter(n -> !parameters.containsKey(n)).distinct().toList();
        if (!missing.isEmpty()) {
            String available = parameters.isEmpty() ? "none" : String.join(", ", new TreeSet<>(parameters.keySet()));
            throw new SourceException(SourceException.Kind.CONFIGURATION, "source.sql.query uses :"
                    + String.join(", :", missing) + ", but the run has no such parameter"
                    + io.tributary.definition.read.Suggestions.didYouMean(missing.get(0), parameters.keySet())
                    + "; the run's parameters: " + available + " (a schedule gives windowStart and windowEnd; give "
                    + "others with the run)");
        }
        return new SqlParameters(names, names.stream().map(parameters::get).toList());
    }

    /** How many values there are: the {@code ?} they fill are 1 to this count. */
    int count() {
        return values.size();
    }

    /** Binds each value to its {@code ?}; on PostgreSQL, text goes untyped, for the server to type. */
    void bind(PreparedStatement statement, boolean postgres) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            Optional<Object> time = time(value);
            if (time.isPresent()) {
                statement.setObject(i + 1, time.get());
            } else if (postgres) {
                statement.setObject(i + 1, value, Types.OTHER);
            } else {
                statement.setString(i + 1, value);
            }
        }
    }

    /** The parameters and their values, for lineage: {@code region=eu, windowEnd=2026-11-22T00:00:00Z}. */
    String describe() {
        List<String> pairs = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            pairs.add(name + "=" + values.get(names.indexOf(name)));
        }
        return String.join(", ", pairs);
    }

    /** An ISO instant, date and time, or date, as java.time; empty for other text. */
    static Optional<Object> time(String value) {
        String text = value.strip();
        if (text.length() < 10 || !Character.isDigit(text.charAt(0))) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Optional.of(LocalDateTime.parse(text));
            } catch (DateTimeParseException notADateTime) {
                try {
                    return Optional.of(LocalDate.parse(text));
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        }
    }
}
