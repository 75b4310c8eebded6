package io.tributary.functions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Run by {@link PackageIT} in a child JVM whose class path is the packaged DuckDB jar and this class alone: prints
 * the answer of {@code SELECT 42} and the engine's platform, or fails.
 */
public final class DuckDbProbe {

    private DuckDbProbe() {
    }

    public static void main(String[] args) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT 42, (SELECT platform FROM pragma_platform())")) {
            result.next();
            System.out.println(result.getInt(1) + " " + result.getString(2));
        }
    }
}
