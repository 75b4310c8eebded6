package io.tributary.engine;

import static io.tributary.definition.SqlText.identifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.DeriveStep;
import io.tributary.definition.FilterStep;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.SqlStep;
import io.tributary.definition.SqlText;
import io.tributary.definition.Step;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a definition's SQL on an empty, typed copy of its source before any data moves: each step is
 * bound by DuckDB against the columns that exist at that point in the chain, so an unknown column, a
 * type error or an expression that does not parse is reported where it is written, with DuckDB's
 * candidate names as the "did you mean". Expressions compute on the row only: subqueries and table
 * functions are refused; a {@code sql} step reads nothing but {@code input}.
 */
public final class SqlCheck implements DefinitionCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<Finding> check(PipelineDefinition definition) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is not on the classpath", e);
        }
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = db.createStatement()) {
                s.execute("SET enable_external_access=false");
                s.execute("SET lock_configuration=true");
                s.execute("CREATE TEMP TABLE parsed (" + definition.columns().stream()
                        .map(c -> identifier(c.name()) + " " + c.type().sqlType())
                        .collect(Collectors.joining(", ")) + ")");
            }
            List<Finding> findings = checkSteps(db, definition.steps());
            if (!findings.isEmpty()) {
                return findings;
            }
            String relation = definition.steps().isEmpty() ? "SELECT * FROM parsed" : stepsRelation(definition.steps());
            for (int i = 0; i < definition.expectations().size(); i++) {
                var expectation = definition.expectations().get(i);
                String at = "/expectations/" + i + (expectation.expect().equals("expr") ? "/expr" : "");
                if (expectation.expr() != null) {
                    Optional<String> why = restrictExpression(expectation.expr());
                    if (why.isPresent()) {
                        findings.add(new Finding(at, why.get()));
                        continue;
                    }
                }
                String check = expectation.perRow() ? expectation.condition()
                        : expectation.expect().equals("unique") ? expectation.duplicateSql() : "true";
                bindError(db, "SELECT " + check + " FROM (" + relation + ")")
                        .ifPresent(error -> findings.add(new Finding(at, error)));
            }
            if (definition.split().isPresent()) {
                bindError(db, "SELECT " + definition.split().get().toSql() + " FROM (" + relation + ")")
                        .ifPresent(error -> findings.add(new Finding("/split/keys", error)));
            }
            return findings;
        } catch (SQLException e) {
            throw new IllegalStateException("the engine could not check the definition: " + firstLine(e), e);
        }
    }

    private List<Finding> checkSteps(Connection db, List<Step> steps) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<String> ctes = new ArrayList<>();
        String previous = "parsed";
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String at = "/steps/" + i;
            int before = findings.size();
            for (Map.Entry<String, String> expression : step.expressions().entrySet()) {
                restrictExpression(expression.getValue()).ifPresent(why ->
                        findings.add(new Finding(at + expression.getKey(), why)));
            }
            if (step instanceof SqlStep sql) {
                restrictQuery(sql.query()).ifPresent(why -> findings.add(new Finding(at + "/query", why)));
            }
            if (findings.size() > before) {
                return findings;
            }
            String relation = with(ctes) + "SELECT * FROM " + previous;
            if (step instanceof DeriveStep derive) {
                // One expression at a time, each with the ones before it, so an error names its own column.
                Map<String, String> soFar = new LinkedHashMap<>();
                for (Map.Entry<String, String> column : derive.columns().entrySet()) {
                    soFar.put(column.getKey(), column.getValue());
                    String query = new DeriveStep(soFar).toSql("(" + relation + ")");
                    Optional<String> error = bindError(db, query);
                    if (error.isPresent()) {
                        findings.add(new Finding(at + "/columns/" + escape(column.getKey()), error.get()));
                        return findings;
                    }
                }
            }
            if (step instanceof FilterStep filter) {
                String query = "SELECT (" + filter.where() + ") AS condition FROM (" + relation + ")";
                Optional<String> error = bindError(db, query);
                if (error.isPresent()) {
                    findings.add(new Finding(at + "/where", error.get()));
                    return findings;
                }
                String type = types(db, query).get(0);
                if (!type.equals("BOOLEAN")) {
                    findings.add(new Finding(at + "/where", "the condition is " + type + ", not true or false; "
                            + "compare it with something, e.g. \"" + filter.where() + " > 0\""));
                    return findings;
                }
            }
            String name = "step_" + i;
            ctes.add(name + " AS (" + step.toSql(previous) + ")");
            Optional<String> error = bindError(db, with(ctes) + "SELECT * FROM " + name);
            if (error.isPresent()) {
                findings.add(new Finding(at + (step instanceof SqlStep ? "/query" : ""), error.get()));
                return findings;
            }
            previous = name;
        }
        return findings;
    }

    private static String stepsRelation(List<Step> steps) {
        List<String> ctes = new ArrayList<>();
        String previous = "parsed";
        for (int i = 0; i < steps.size(); i++) {
            ctes.add("step_" + i + " AS (" + steps.get(i).toSql(previous) + ")");
            previous = "step_" + i;
        }
        return with(ctes) + "SELECT * FROM " + previous;
    }

    private static String with(List<String> ctes) {
        return ctes.isEmpty() ? "" : "WITH " + String.join(", ", ctes) + " ";
    }

    /** DuckDB's reason when {@code query} does not bind. */
    private static Optional<String> bindError(Connection db, String query) {
        try {
            types(db, query);
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("does not run on the columns here: " + withCandidates(e));
        }
    }

    private static List<String> types(Connection db, String query) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + query)) {
            while (rs.next()) {
                types.add(rs.getString("column_type"));
            }
        }
        return types;
    }

    /** Why an expression may not be used, if it may not: it must be one expression on the row. */
    static Optional<String> restrictExpression(String expression) {
        JsonNode statements = parse("SELECT (" + expression + ") AS v");
        if (statements.has("error_message")) {
            return Optional.of("does not parse: " + statements.get("error_message").asText()
                    .replace("SELECT (", "").lines().findFirst().orElse(""));
        }
        JsonNode node = statements.path("statements");
        JsonNode select = node.path(0).path("node");
        if (node.size() != 1 || !select.path("from_table").path("type").asText().equals("EMPTY")
                || !select.path("where_clause").isNull() || select.path("group_expressions").size() > 0) {
            return Optional.of("must be one SQL expression on the row, such as \"amount * 2\"");
        }
        Set<String> kinds = kinds(select);
        if (kinds.contains("SUBQUERY")) {
            return Optional.of("subqueries are not allowed in an expression: it computes on one row "
                    + "(use a sql step to read more)");
        }
        if (kinds.contains("TABLE_FUNCTION")) {
            return Optional.of("table functions are not allowed in an expression");
        }
        return Optional.empty();
    }

    /** Why a sql step's query may not be used, if it may not: one SELECT that reads only {@code input}. */
    static Optional<String> restrictQuery(String query) {
        JsonNode parsed = parse(query);
        if (parsed.has("error_message")) {
            return Optional.of("does not parse: " + parsed.get("error_message").asText().lines()
                    .findFirst().orElse(""));
        }
        if (parsed.path("statements").size() != 1) {
            return Optional.of("must be one SELECT statement that reads FROM input");
        }
        JsonNode statement = parsed.path("statements").get(0);
        Set<String> kinds = kinds(statement);
        if (kinds.contains("TABLE_FUNCTION")) {
            return Optional.of("reads only FROM input: table functions such as read_csv are not allowed");
        }
        Set<String> allowed = new HashSet<>(Set.of("input"));
        collectCteNames(statement, allowed);
        List<String> tables = new ArrayList<>();
        collectTables(statement, tables);
        for (String table : tables) {
            if (!allowed.contains(table.toLowerCase(java.util.Locale.ROOT))) {
                return Optional.of("reads only FROM input (the previous step's rows); '" + table
                        + "' is not a table here");
            }
        }
        return Optional.empty();
    }

    private static JsonNode parse(String sql) {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT json_serialize_sql(" + SqlText.literal(sql) + ")")) {
            rs.next();
            return JSON.readTree(rs.getString(1));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot parse SQL with the engine: " + e.getMessage(), e);
        }
    }

    /** The "class" and "type" values of every node of a parsed statement. */
    private static Set<String> kinds(JsonNode node) {
        Set<String> kinds = new HashSet<>();
        walk(node, n -> {
            if (n.has("class")) {
                kinds.add(n.get("class").asText());
            }
            if (n.has("type") && n.get("type").isTextual()) {
                kinds.add(n.get("type").asText());
            }
        });
        return kinds;
    }

    private static void collectTables(JsonNode node, List<String> tables) {
        walk(node, n -> {
            if (n.path("type").asText().equals("BASE_TABLE")) {
                tables.add(n.path("table_name").asText());
            }
        });
    }

    private static void collectCteNames(JsonNode node, Set<String> names) {
        walk(node, n -> {
            if (n.has("cte_map")) {
                n.path("cte_map").path("map").forEach(e -> names.add(e.path("key").asText().toLowerCase(
                        java.util.Locale.ROOT)));
            }
        });
    }

    private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
            node.elements().forEachRemaining(child -> walk(child, visit));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visit));
        }
    }

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }

    /** DuckDB's first line, with its "Candidate bindings" line as a "did you mean" when it gives one. */
    private static String withCandidates(SQLException e) {
        String message = String.valueOf(e.getMessage());
        String candidates = message.lines().filter(l -> l.startsWith("Candidate bindings: ")).findFirst()
                .map(l -> "; did you mean one of " + l.substring("Candidate bindings: ".length()).strip() + "?")
                .orElse("");
        return firstLine(e).replace("Binder Error: ", "") + candidates;
    }

    private static String firstLine(SQLException e) {
        return ChunkTransformer.firstLine(e);
    }
}
