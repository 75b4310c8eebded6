package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.identifier;

import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.sql.SqlText;
import io.tributary.definition.step.DeriveStep;
import io.tributary.definition.step.FillNullStep;
import io.tributary.definition.step.FilterStep;
import io.tributary.definition.step.LookupStep;
import io.tributary.definition.step.SqlStep;
import io.tributary.definition.step.Step;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

    @Override
    public List<Finding> check(PipelineDefinition definition) {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the DuckDB JDBC driver is not on the classpath", e);
        }
        if (definition.columns().isEmpty()) {
            return restrictions(definition); // the columns are only known to each run: nothing to bind against
        }
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = db.createStatement()) {
                s.execute("SET TimeZone='UTC'");
                s.execute("SET enable_external_access=false");
                s.execute("SET lock_configuration=true");
                s.execute("CREATE TEMP TABLE parsed (" + definition.columns().stream()
                        .map(c -> identifier(c.name()) + " " + c.sqlType())
                        .collect(Collectors.joining(", ")) + ")");
                // One row of nulls, so that what fails on every row (a text literal that cannot convert) fails here.
                s.execute("INSERT INTO parsed DEFAULT VALUES");
            } catch (SQLException e) {
                return List.of(new Finding("/columns", "the engine cannot hold these columns: " + withCandidates(e)));
            }
            List<Finding> times = checkTimes(db, definition);
            if (!times.isEmpty()) {
                return times;
            }
            List<Finding> findings = checkSteps(db, definition.steps());
            if (!findings.isEmpty()) {
                return findings;
            }
            String relation = StepChain.query(definition.steps(), definition.steps().size());
            for (int i = 0; i < definition.expectations().size(); i++) {
                var expectation = definition.expectations().get(i);
                String at = "/expectations/" + i + (expectation.expect().equals("expr") ? "/expr" : "");
                if (expectation.expr() != null) {
                    Optional<String> why = SqlRestrictions.expression(expectation.expr());
                    if (why.isPresent()) {
                        findings.add(new Finding(at, why.get()));
                        continue;
                    }
                }
                if (expectation.pattern() != null) {
                    Optional<String> bad = runError(db, "SELECT regexp_full_match('', "
                            + SqlText.literal(expectation.pattern()) + ")");
                    if (bad.isPresent()) {
                        findings.add(new Finding("/expectations/" + i + "/pattern", "not a regular expression the "
                                + "engine reads (RE2 syntax): " + bad.get()));
                        continue;
                    }
                }
                String check = expectation.perRow() ? expectation.condition()
                        : expectation.expect().equals("unique") ? expectation.duplicateSql() : "true";
                String query = "SELECT " + check + " FROM (" + relation + ")";
                bindError(db, query).or(() -> expectation.expr() == null ? Optional.empty()
                        : constantError(db, query, expectation.expr(), relation))
                        .ifPresent(error -> findings.add(new Finding(at, error)));
            }
            List<String> partitionBy = definition.output().partitionBy();
            if (!partitionBy.isEmpty()) {
                bindError(db, "SELECT " + partitionBy.stream().map(SqlText::identifier).collect(Collectors.joining(", "))
                        + " FROM (" + relation + ")").ifPresent(error -> findings.add(new Finding("/output/partitionBy",
                        error)));
            }
            if (definition.split().isPresent()) {
                bindError(db, "SELECT " + definition.split().get().toSql() + " FROM (" + relation + ")")
                        .ifPresent(error -> findings.add(new Finding("/split/keys", error)));
            }
            definition.output().tableOutput().flatMap(t -> t.deleteCondition()).ifPresent(condition ->
                    SqlRestrictions.expression(condition).or(() -> bindError(db, "SELECT CAST((" + condition
                            + ") AS BOOLEAN) FROM (" + relation + ")")).ifPresent(error ->
                            findings.add(new Finding("/output/table/deleteWhen", error))));
            return findings;
        } catch (SQLException e) {
            throw new IllegalStateException("the engine could not check the definition: " + firstLine(e), e);
        }
    }

    /** The source's time formats and the columns' time zones, as the engine reads them. */
    private static List<Finding> checkTimes(Connection db, PipelineDefinition definition) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Optional<String>> formats = new LinkedHashMap<>();
        formats.put("timestampFormat", definition.source().timestampFormat());
        formats.put("dateFormat", definition.source().dateFormat());
        formats.forEach((field, format) -> format.flatMap(f -> runError(db, "SELECT try_strptime('', "
                + SqlText.literal(f) + ")")).ifPresent(error -> findings.add(new Finding("/source/" + field,
                "not a format the engine reads: " + error.replace("Invalid Input Error: ", "")))));
        for (int i = 0; i < definition.columns().size(); i++) {
            int at = i;
            definition.columns().get(i).timeZone().flatMap(zone -> runError(db, "SELECT timezone("
                    + SqlText.literal(zone) + ", TIMESTAMP '2000-01-01')")).ifPresent(error -> findings.add(
                    new Finding("/columns/" + at + "/timeZone", "the engine does not know this time zone: " + error)));
        }
        return findings;
    }

    /** What can be checked without columns: each expression and query is one the engine may run. */
    private static List<Finding> restrictions(PipelineDefinition definition) {
        return SqlRestrictions.of(definition).stream().map(v -> new Finding(v.pointer(), v.reason()))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private List<Finding> checkSteps(Connection db, List<Step> steps) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<String> ctes = new ArrayList<>();
        String previous = "parsed";
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String at = "/steps/" + i;
            int before = findings.size();
            SqlRestrictions.of(step, at).forEach(v -> findings.add(new Finding(v.pointer(), v.reason())));
            if (findings.size() > before) {
                return findings;
            }
            String relation = with(ctes) + "SELECT * FROM " + previous;
            if (step instanceof DeriveStep derive) {
                // One expression at a time, each with the ones before it, so an error names its own column.
                Map<String, String> soFar = new LinkedHashMap<>();
                for (Map.Entry<String, String> column : derive.columns().entrySet()) {
                    soFar.put(column.getKey(), column.getValue());
                    String query = StepSql.of(new DeriveStep(soFar), "(" + relation + ")");
                    Optional<String> error = bindError(db, query)
                            .or(() -> constantError(db, query, column.getValue(), relation));
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
                Optional<String> constant = constantError(db, query, filter.where(), relation);
                if (constant.isPresent()) {
                    findings.add(new Finding(at + "/where", constant.get()));
                    return findings;
                }
                String type = types(db, query).get(0);
                if (!type.equals("BOOLEAN")) {
                    findings.add(new Finding(at + "/where", "the condition is " + type + ", not true or false; "
                            + "compare it with something, e.g. \"" + filter.where() + " > 0\""));
                    return findings;
                }
            }
            if (step instanceof LookupStep lookup) {
                LookupTables.createEmpty(db, lookup, StepChain.types(db, relation));
            }
            String name = "step_" + i;
            ctes.add(name + " AS (" + StepSql.of(step, previous) + ")");
            Optional<String> error = bindError(db, with(ctes) + "SELECT * FROM " + name);
            if (error.isPresent()) {
                findings.add(new Finding(at + (step instanceof SqlStep ? "/query" : ""), error.get()));
                return findings;
            }
            if (step instanceof FillNullStep fill) {
                Map<String, String> typesBefore = StepChain.types(db, relation);
                Map<String, String> typesAfter = StepChain.types(db, with(ctes) + "SELECT * FROM " + name);
                for (Map.Entry<String, Object> value : fill.values().entrySet()) {
                    String was = typesBefore.get(value.getKey());
                    String is = typesAfter.get(value.getKey());
                    Optional<String> converts = was == null ? Optional.empty() : runError(db, "SELECT CAST("
                            + (value.getValue() instanceof String text ? SqlText.literal(text) : value.getValue())
                            + " AS " + was + ")");
                    if (was != null && (!was.equals(is) || converts.isPresent())) {
                        findings.add(new Finding(at + "/columns/" + escape(value.getKey()), "the value " + value.getValue()
                                + " does not fit column '" + value.getKey() + "' (" + was + "); give a value of that type"));
                        return findings;
                    }
                }
            }
            previous = name;
        }
        return findings;
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

    /**
     * What fails on every row of {@code query}, run on a row of nulls: a text literal of {@code expression} that
     * cannot convert to the type it is compared with or used as. Only such a literal is reported: any other error on
     * nulls may not happen on real rows. A literal that names a column says how to name it.
     */
    private static Optional<String> constantError(Connection db, String query, String expression, String relation) {
        Optional<String> error = runError(db, query);
        if (error.isEmpty()) {
            return Optional.empty();
        }
        java.util.regex.Matcher text = java.util.regex.Pattern.compile("Could not convert string '(.*)' to ([A-Z0-9]+)")
                .matcher(error.get());
        String literal;
        String type;
        if (text.find()) {
            literal = text.group(1);
            type = typeName(text.group(2));
        } else {
            // Dates and times say it their own way: invalid date field format: "yesterday".
            java.util.regex.Matcher time = java.util.regex.Pattern.compile("Conversion Error: .*?(date|time|timestamp)"
                    + "[^\"]*\"(.*?)\"").matcher(error.get());
            if (!time.find()) {
                return Optional.empty();
            }
            literal = time.group(2);
            type = time.group(1).equals("time") ? "timestamp" : time.group(1);
        }
        if (!expression.contains("'" + literal.replace("'", "''") + "'")) {
            return Optional.empty();
        }
        String named = columnNames(db, relation).stream().filter(c -> c.equalsIgnoreCase(literal)).findFirst()
                .map(c -> "; single quotes make text, double quotes name a column: to use the column, write "
                        + identifier(c))
                .orElse("; compare it with a value of that type, or name a column in double quotes");
        return Optional.of("'" + literal + "' is text that cannot convert to " + type + ", so this fails on every row"
                + named);
    }

    /** A DuckDB type as a definition names it. */
    private static String typeName(String duckType) {
        return switch (duckType) {
            case "INT8", "INT16", "INT32" -> "int";
            case "INT64", "INT128" -> "long";
            case "DOUBLE", "FLOAT" -> "double";
            case "BOOL", "BOOLEAN" -> "boolean";
            default -> duckType.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static Set<String> columnNames(Connection db, String relation) {
        try {
            return StepChain.types(db, relation).keySet();
        } catch (SQLException e) {
            return Set.of();
        }
    }

    /** DuckDB's reason when running {@code query} fails. */
    private static Optional<String> runError(Connection db, String query) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(firstLine(e));
        }
    }

    private static List<String> types(Connection db, String query) throws SQLException {
        return List.copyOf(StepChain.types(db, query).values());
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
