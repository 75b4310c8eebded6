package io.tributary.definition.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitTest {

    private static final BigInteger BUCKETS = BigInteger.valueOf(Split.BUCKETS);

    private static long query(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theBucketOfAHashIsItsRemainderEvenAtTheEdgesOfBothHalves() throws Exception {
        List<BigInteger> hashes = List.of(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
                new BigInteger("123456789012345678901234567890123456789"));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            for (BigInteger hash : hashes) {
                assertEquals(hash.mod(BUCKETS).longValue(), query(db, "SELECT " + Split.bucketSql(hash + "::UHUGEINT")),
                        hash.toString());
            }
        }
    }

    @Test
    void theBucketAgreesWithDuckDbsOwnRemainderOnManyKeys() throws Exception {
        String hash = "md5_number('7' || chr(31) || k)";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            assertEquals(0, query(db, "SELECT count(*) FROM (SELECT 'C-' || range AS k FROM range(100000)) WHERE "
                    + Split.bucketSql(hash) + " <> " + hash + " % " + Split.BUCKETS));
        }
    }

    @Test
    void eachRowGoesToTheSplitItsBucketFallsIn() throws Exception {
        Map<SplitName, Double> fractions = new LinkedHashMap<>();
        fractions.put(SplitName.parse("train"), 0.8);
        fractions.put(SplitName.parse("validation"), 0.1);
        fractions.put(SplitName.parse("test"), 0.1);
        Split split = new Split(List.of("k"), 7, fractions);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            // The documented rule, written with DuckDB's own (slow) UHUGEINT remainder.
            assertEquals(0, query(db, "SELECT count(*) FROM (SELECT 'C-' || range AS k FROM range(20000)) WHERE "
                    + split.toSql() + " <> CASE WHEN md5_number('7' || chr(31) || k) % 1000000 < 800000 THEN 'train' "
                    + "WHEN md5_number('7' || chr(31) || k) % 1000000 < 900000 THEN 'validation' ELSE 'test' END"));
        }
    }
}
