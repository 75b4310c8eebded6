package io.tributary.definition.output;

import io.tributary.definition.sql.SqlText;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A deterministic train/validation/test split: each row goes to the split its key columns hash to, so
 * the same entity lands in the same split on every run. The hash is MD5 of the seed and the keys' text,
 * a function any tool can recompute.
 *
 * @param keys      the columns that identify an entity
 * @param seed      changes the assignment as a whole
 * @param fractions split name → share of the rows, in order, summing to 1
 */
public record Split(List<String> keys, long seed, Map<SplitName, Double> fractions) {

    /** The rule for a split's name, which becomes a folder of the dataset. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Buckets the hash is cut into; fractions resolve to a millionth. */
    public static final long BUCKETS = 1_000_000;

    public Split {
        keys = List.copyOf(keys);
        fractions = Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
    }

    /** A SQL expression (DuckDB) naming the split of the current row. */
    public String toSql() {
        String text = keys.stream()
                .map(k -> "coalesce(CAST(" + SqlText.identifier(k) + " AS VARCHAR), '')")
                .collect(Collectors.joining(" || chr(31) || "));
        String bucket = bucketSql("md5_number(" + SqlText.literal(Long.toString(seed)) + " || chr(31) || " + text + ")");
        StringBuilder sql = new StringBuilder("CASE");
        double cumulative = 0;
        List<SplitName> names = List.copyOf(fractions.keySet());
        for (int i = 0; i < names.size() - 1; i++) {
            cumulative += fractions.get(names.get(i));
            sql.append(" WHEN ").append(bucket).append(" < ").append(Math.round(cumulative * BUCKETS))
                    .append(" THEN ").append(SqlText.literal(names.get(i).text()));
        }
        return sql.append(" ELSE ").append(SqlText.literal(names.get(names.size() - 1).text())).append(" END")
                .toString();
    }

    /**
     * {@code hash % BUCKETS} for an unsigned 128-bit {@code hash}, computed on its two 64-bit halves:
     * DuckDB divides UHUGEINTs bit by bit, which made the plain {@code %} most of a large split's cost.
     * (hi * 2^64 + lo) mod n = ((hi mod n) * (2^64 mod n) + lo mod n) mod n, and every term fits in 64 bits.
     */
    static String bucketSql(String hash) {
        long wrap = BigInteger.ONE.shiftLeft(64).mod(BigInteger.valueOf(BUCKETS)).longValue();
        return "((((" + hash + " >> 64)::UBIGINT % " + BUCKETS + ") * " + wrap + " + (" + hash
                + " & 18446744073709551615)::UBIGINT % " + BUCKETS + ") % " + BUCKETS + ")";
    }
}
