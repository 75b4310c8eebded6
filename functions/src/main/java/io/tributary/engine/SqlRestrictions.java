package io.tributary.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.expectation.Expectation;
import io.tributary.definition.read.DefinitionLimits;
import io.tributary.definition.sql.SqlText;
import io.tributary.definition.step.DeriveStep;
import io.tributary.definition.step.FilterStep;
import io.tributary.definition.step.SqlStep;
import io.tributary.definition.step.Step;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What SQL a definition may hand the engine, decided on DuckDB's own parse tree ({@code json_serialize_sql}), never
 * on the text: an expression is one expression on the row, checked as it is spliced, so it cannot add a column or
 * close a clause; a {@code sql} step reads nothing but {@code input} and the WITH tables it defines itself (in
 * scope where it names them); neither may call a function that reports on the engine (its query, settings, tables,
 * files) rather than compute on the data. {@link SqlCheck} applies these rules when a definition is validated, and
 * the engine again before it runs a chunk.
 */
final class SqlRestrictions {

    /** One rule broken: where (a JSON pointer in the definition) and why. */
    record Violation(String pointer, String reason) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Functions that report on the engine, its session or its host rather than compute on data. */
    private static final Set<String> REFUSED_FUNCTIONS = Set.of("current_setting", "current_query",
            "current_query_id", "current_connection_id", "current_transaction_id", "getvariable", "current_schema",
            "current_schemas", "current_database", "current_catalog", "current_user", "current_role", "session_user",
            "user", "version", "getenv", "format_type", "format_pg_type", "get_block_size", "col_description",
            "obj_description", "shobj_description", "in_search_path", "inet_client_addr", "inet_client_port",
            "inet_server_addr", "inet_server_port", "txid_current", "nextval", "currval", "setval", "setseed",
            "json_serialize_sql", "json_serialize_plan", "json_deserialize_sql", "json_execute_serialized_sql",
            "write_log", "parse_duckdb_log_message", "sleep_ms", "query", "query_table", "glob", "stats");
    /** Prefixes of such functions' names: DuckDB's catalog, PRAGMAs, PostgreSQL's catalog and privileges, files. */
    private static final List<String> REFUSED_PREFIXES = List.of("duckdb_", "pragma_", "pg_", "has_", "read_",
            "sqlite_");
    /** The kinds of FROM entries a sql step may use. */
    private static final Set<String> ALLOWED_FROM = Set.of("BASE_TABLE", "SUBQUERY", "JOIN", "EMPTY",
            "EXPRESSION_LIST");

    /**
     * The hashes of definitions {@link #enforce} found within the rules, so that the chunks of a run check its SQL
     * once per process rather than once each (a hash names the definition's whole content).
     */
    private static final Set<String> ALLOWED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SqlRestrictions() {
    }

    /** Every rule the definition's steps and expectations break, each where it is written. */
    static List<Violation> of(PipelineDefinition definition) {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < definition.steps().size(); i++) {
            violations.addAll(of(definition.steps().get(i), "/steps/" + i));
        }
        for (int i = 0; i < definition.expectations().size(); i++) {
            Expectation expectation = definition.expectations().get(i);
            if (expectation.expr() != null) {
                String at = "/expectations/" + i + "/expr";
                expression(expectation.expr()).ifPresent(why -> violations.add(new Violation(at, why)));
            }
        }
        return violations;
    }

    /** Every rule {@code step}, which stands at {@code at}, breaks. */
    static List<Violation> of(Step step, String at) {
        List<Violation> violations = new ArrayList<>();
        step.expressions().forEach((pointer, expression) -> expression(expression)
                .ifPresent(why -> violations.add(new Violation(at + pointer, why))));
        if (violations.isEmpty()) {
            spliced(step).ifPresent(why -> violations.add(new Violation(at, why)));
        }
        if (step instanceof SqlStep sql) {
            query(sql.query()).ifPresent(why -> violations.add(new Violation(at + "/query", why)));
        }
        return violations;
    }

    /**
     * Refuses a definition that breaks a rule, before the engine runs any of it: validation refuses it too, so only
     * a definition that skipped validation (or a newer rule) gets here.
     *
     * @throws TransformFailedException naming the first rule broken, where it is written and why
     */
    static void enforce(PipelineDefinition definition) {
        String hash = definition.hash();
        if (hash != null && ALLOWED.contains(hash)) {
            return;
        }
        List<Violation> violations = of(definition);
        if (violations.isEmpty()) {
            if (ALLOWED.size() >= 1_000) {
                ALLOWED.clear();
            }
            if (hash != null) {
                ALLOWED.add(hash);
            }
        } else {
            Violation first = violations.get(0);
            throw new TransformFailedException("the definition's SQL at " + first.pointer() + " is not allowed: "
                    + first.reason() + "; run 'tributary validate' on the definition", null);
        }
    }

    /**
     * Why an expression may not be used, if it may not: it must be one expression on the row. It is parsed wrapped
     * as the steps splice it, {@code (expression)}, followed by an alias and a FROM that nobody can guess: the tree
     * must hold exactly one select entry with that alias, reading that table, and nothing else. An expression that
     * ends inside a comment or a string, closes its parenthesis to add a column or a clause, or reads a table, cannot
     * produce that tree.
     */
    static Optional<String> expression(String expression) {
        Optional<String> unfit = unfit(expression);
        if (unfit.isPresent()) {
            return unfit;
        }
        String mark = "__tributary_" + HexFormat.of().formatHex(bytes());
        String suffix = ") AS " + mark + " FROM " + mark;
        JsonNode statements = parse("SELECT (" + expression + suffix);
        if (statements.has("error_message")) {
            return Optional.of("does not parse: " + statements.get("error_message").asText().replace(suffix, ")")
                    .replace(mark, "").lines().findFirst().orElse(""));
        }
        JsonNode node = statements.path("statements");
        JsonNode select = node.path(0).path("node");
        JsonNode from = select.path("from_table");
        boolean oneExpression = node.size() == 1 && select.path("type").asText().equals("SELECT_NODE")
                && select.path("select_list").size() == 1
                && select.path("select_list").path(0).path("alias").asText().equals(mark)
                && from.path("type").asText().equals("BASE_TABLE") && from.path("table_name").asText().equals(mark)
                && from.path("schema_name").asText().isEmpty() && from.path("catalog_name").asText().isEmpty()
                && from.path("alias").asText().isEmpty() && from.path("sample").isNull()
                && select.path("where_clause").isNull() && select.path("group_expressions").isEmpty()
                && select.path("having").isNull() && select.path("qualify").isNull() && select.path("sample").isNull()
                && select.path("modifiers").isEmpty() && select.path("cte_map").path("map").isEmpty();
        if (!oneExpression) {
            return Optional.of("must be one SQL expression on the row, such as \"amount * 2\": it may not close its "
                    + "parenthesis, add a column or a clause, or end inside a comment");
        }
        JsonNode value = select.path("select_list").path(0);
        Set<String> kinds = kinds(value);
        if (kinds.contains("SUBQUERY")) {
            return Optional.of("subqueries are not allowed in an expression: it computes on one row "
                    + "(use a sql step to read more)");
        }
        if (kinds.contains("TABLE_FUNCTION")) {
            return Optional.of("table functions are not allowed in an expression");
        }
        if (kinds.contains("WINDOW")) {
            return Optional.of("window functions look at other rows and are not allowed in an expression "
                    + "(use a dedupe or sql step)");
        }
        return refusedFunction(value);
    }

    private static byte[] bytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Why the SQL a step generates does not have the shape its definition declares, if it does not: a {@code derive}
     * selects the rows and exactly its columns, in order; a {@code filter} selects the rows under one condition.
     */
    static Optional<String> spliced(Step step) {
        if (!(step instanceof DeriveStep) && !(step instanceof FilterStep)) {
            return Optional.empty();
        }
        String sql = StepSql.of(step, "input");
        Optional<String> unfit = unfit(sql);
        if (unfit.isPresent()) {
            return unfit;
        }
        JsonNode statements = parse(sql);
        JsonNode select = statements.path("statements").path(0).path("node");
        JsonNode list = select.path("select_list");
        JsonNode from = select.path("from_table");
        boolean shaped = !statements.has("error_message") && statements.path("statements").size() == 1
                && select.path("type").asText().equals("SELECT_NODE") && list.path(0).path("class").asText()
                .equals("STAR") && from.path("type").asText().equals("BASE_TABLE")
                && from.path("table_name").asText().equals("input") && select.path("group_expressions").isEmpty()
                && select.path("having").isNull() && select.path("qualify").isNull()
                && select.path("modifiers").isEmpty() && select.path("cte_map").path("map").isEmpty();
        if (step instanceof DeriveStep derive) {
            List<String> aliases = new ArrayList<>();
            list.forEach(entry -> aliases.add(entry.path("alias").asText()));
            List<String> declared = new ArrayList<>(List.of(""));
            declared.addAll(derive.columns().keySet());
            shaped = shaped && aliases.equals(declared) && select.path("where_clause").isNull();
        } else {
            shaped = shaped && list.size() == 1 && !select.path("where_clause").isNull();
        }
        return shaped ? Optional.empty() : Optional.of("its expressions do not make one " + step.op() + " of the rows: "
                + "write each as one SQL expression on the row");
    }

    /**
     * Why a sql step's query may not be used, if it may not: one SELECT that reads only {@code input} and the WITH
     * tables it defines, each where it is in scope (a WITH table in the WITH tables after it and in its query's body;
     * a recursive one also in its own recursive part).
     */
    static Optional<String> query(String query) {
        Optional<String> unfit = unfit(query);
        if (unfit.isPresent()) {
            return unfit;
        }
        JsonNode parsed = parse(query);
        if (parsed.has("error_message")) {
            return Optional.of("does not parse: " + parsed.get("error_message").asText().lines()
                    .findFirst().orElse(""));
        }
        if (parsed.path("statements").size() != 1) {
            return Optional.of("must be one SELECT statement that reads FROM input");
        }
        JsonNode statement = parsed.path("statements").get(0);
        if (kinds(statement).contains("TABLE_FUNCTION")) {
            return Optional.of("reads only FROM input: table functions such as read_csv are not allowed");
        }
        Set<String> defined = new HashSet<>();
        walk(statement, n -> n.path("cte_map").path("map").forEach(cte ->
                defined.add(cte.path("key").asText().toLowerCase(Locale.ROOT))));
        List<String> problems = new ArrayList<>();
        tables(statement, Set.of("input"), defined, problems);
        if (!problems.isEmpty()) {
            return Optional.of(problems.get(0));
        }
        return refusedFunction(statement);
    }

    /** Checks each FROM entry under {@code node} against the table names {@code visible} where it stands. */
    private static void tables(JsonNode node, Set<String> visible, Set<String> defined, List<String> problems) {
        if (node.isArray()) {
            node.forEach(child -> tables(child, visible, defined, problems));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (node.has("type") && node.has("alias") && node.has("sample")) {
            fromEntry(node, visible, defined, problems);
        }
        Set<String> scope = visible;
        JsonNode ctes = node.path("cte_map").path("map");
        if (ctes.size() > 0) {
            scope = new HashSet<>(visible);
            for (JsonNode cte : ctes) {
                // A WITH table sees the ones before it, not itself (unless recursive, below) nor the ones after it:
                // DuckDB would read a table of the engine's by that name there.
                tables(cte.path("value"), Set.copyOf(scope), defined, problems);
                scope.add(cte.path("key").asText().toLowerCase(Locale.ROOT));
            }
        }
        String recursive = node.path("type").asText().equals("RECURSIVE_CTE_NODE")
                ? node.path("cte_name").asText().toLowerCase(Locale.ROOT) : null;
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equals("cte_map")) {
                continue;
            }
            Set<String> here = scope;
            if (recursive != null && field.getKey().equals("right")) {
                here = new HashSet<>(scope);
                here.add(recursive);
            }
            tables(field.getValue(), here, defined, problems);
        }
    }

    private static void fromEntry(JsonNode entry, Set<String> visible, Set<String> defined,
                                  List<String> problems) {
        String type = entry.path("type").asText();
        if (!ALLOWED_FROM.contains(type)) {
            problems.add("reads only FROM input: " + type.toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " is not allowed");
        } else if (type.equals("BASE_TABLE")) {
            String table = entry.path("table_name").asText();
            boolean qualified = !entry.path("schema_name").asText().isEmpty()
                    || !entry.path("catalog_name").asText().isEmpty();
            if (qualified || !visible.contains(table.toLowerCase(Locale.ROOT))) {
                problems.add("reads only FROM input (the previous step's rows) and the query's own WITH "
                        + "tables; '" + (qualified ? dotted(entry.path("qualified_name").path("path")) : table)
                        + "' is not a table here" + (qualified || !defined.contains(table.toLowerCase(Locale.ROOT)) ? ""
                        : " (a WITH table may be read only after its definition, within the query that defines it)"));
            }
        }
    }

    /** Functions that report on the engine rather than compute on data, refused in expressions and queries. */
    private static Optional<String> refusedFunction(JsonNode tree) {
        List<String> names = new ArrayList<>();
        walk(tree, n -> {
            if (n.path("class").asText().equals("FUNCTION") || n.has("function_name")) {
                names.add(n.path("function_name").asText().toLowerCase(Locale.ROOT));
            }
        });
        for (String name : names) {
            if (REFUSED_FUNCTIONS.contains(name) || REFUSED_PREFIXES.stream().anyMatch(name::startsWith)) {
                return Optional.of("the function " + name + "() reports on the engine, not on the data, and is not "
                        + "allowed");
            }
        }
        return Optional.empty();
    }

    private static String dotted(JsonNode path) {
        List<String> parts = new ArrayList<>();
        path.forEach(p -> parts.add(p.asText()));
        return String.join(".", parts);
    }

    /** DuckDB's parse tree of {@code sql}, or its {@code error_message} when it does not parse. */
    private static JsonNode parse(String sql) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is not on the classpath", e);
        }
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT json_serialize_sql(" + SqlText.literal(sql) + ")")) {
            rs.next();
            return JSON.readTree(rs.getString(1));
        } catch (SQLException | IOException e) {
            // What the engine cannot even serialize does not parse: the caller reports it as such.
            return JSON.createObjectNode().put("error_message", String.valueOf(e.getMessage())
                    .replace("Parser Error: ", "").lines().findFirst().orElse(""));
        }
    }

    /**
     * Why a text cannot be handed to the engine at all: the JDBC driver ends a string at NUL, so the engine would check
     * less than the run executes; other control characters and broken surrogates are no SQL either; a text over
     * {@link DefinitionLimits#MAX_STRING_CHARS} is no expression or query a definition may hold.
     */
    private static Optional<String> unfit(String sql) {
        if (sql.length() > DefinitionLimits.MAX_STRING_CHARS) {
            return Optional.of("is " + sql.length() + " characters long, over the " + DefinitionLimits.MAX_STRING_CHARS
                    + " a definition's SQL may be; shorten it");
        }
        int at = DefinitionLimits.forbiddenCharacter(sql, false);
        return at < 0 ? Optional.empty() : Optional.of("holds " + DefinitionLimits.describe(sql, at)
                + "; remove it (SQL may hold tabs and line breaks, no other control characters)");
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

    private static void walk(JsonNode node, Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
            node.elements().forEachRemaining(child -> walk(child, visit));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visit));
        }
    }
}
