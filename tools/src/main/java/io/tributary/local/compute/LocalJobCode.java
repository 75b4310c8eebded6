package io.tributary.local.compute;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a job's code on this machine, the local stand-in of a notebook or a Spark program: a DuckDB SQL script, {@code
 * {name}.sql} in the jobs folder, named by the job's notebook path, Python file or component (its last path segment,
 * without an extension or version). The script's {@code ${parameter}} are the job's parameters; one whose value is an
 * {@code abfss://} URI of the emulated account becomes a local path: a blob is downloaded, a folder ({@code …/})
 * is downloaded as it is and, once the script has run, every file the script wrote into it is uploaded back. So a
 * script reads {@code '${input}'} and writes {@code COPY … TO '${output}/part-0.parquet'} as the real job would read
 * and write the storage account.
 */
public final class LocalJobCode {

    /** What a run of the code ended with: success, or the engine's error. */
    public record Outcome(boolean succeeded, String message) {
    }

    private static final Pattern ABFSS = Pattern.compile("abfss://([^@/]+)@([^./]+)\\.dfs\\.core\\.windows\\.net/(.*)");
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private final Path jobs;
    private final BlobServiceClient blobs;
    private final Path work;

    /**
     * @param jobs  the folder of the scripts ({@code jobs/} in the project)
     * @param blobs the emulated storage account (Azurite)
     * @param work  where runs keep their files while they run
     */
    public LocalJobCode(Path jobs, BlobServiceClient blobs, Path work) {
        this.jobs = jobs;
        this.blobs = blobs;
        this.work = work;
    }

    /** The script a job's code names: {@code /Workspace/Shared/clean_orders} → {@code clean_orders.sql}. */
    public Path script(String code) {
        String name = code.replaceAll("/+$", "");
        name = name.substring(name.lastIndexOf('/') + 1);
        name = name.replaceFirst("^azureml:", "").replaceFirst(":\\d+$", "").replaceFirst("\\.[A-Za-z0-9]+$", "");
        return jobs.resolve(name + ".sql");
    }

    /** Runs the script {@code code} names with {@code parameters}; never throws: a failure is the outcome's message. */
    public Outcome run(String code, Map<String, String> parameters) {
        Path script = script(code);
        if (!Files.isRegularFile(script)) {
            return new Outcome(false, "no local code for " + code + ": write " + script + " (a DuckDB SQL script) to "
                    + "run it on this machine");
        }
        Path dir = work.resolve("job-" + UUID.randomUUID());
        Map<String, Path> folders = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            Map<String, String> local = new LinkedHashMap<>();
            int n = 0;
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                Matcher m = ABFSS.matcher(parameter.getValue());
                if (!m.matches() || !m.group(2).equals(blobs.getAccountName())) {
                    local.put(parameter.getKey(), parameter.getValue());
                    continue;
                }
                Path at = dir.resolve("p" + n++);
                String container = m.group(1);
                String path = m.group(3);
                if (path.endsWith("/") || path.isEmpty()) {
                    Files.createDirectories(at);
                    download(container, path, at);
                    folders.put(container + "/" + path, at);
                    local.put(parameter.getKey(), at.toString());
                } else {
                    Files.createDirectories(at);
                    Path file = at.resolve(path.substring(path.lastIndexOf('/') + 1));
                    blobs.getBlobContainerClient(container).getBlobClient(path).downloadToFile(file.toString(), true);
                    local.put(parameter.getKey(), file.toString());
                }
            }
            String sql = substitute(Files.readString(script), local);
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 Statement statement = duck.createStatement()) {
                statement.execute("SET threads = 1");
                for (String each : statements(sql)) {
                    statement.execute(each);
                }
            }
            for (Map.Entry<String, Path> folder : folders.entrySet()) {
                upload(folder.getKey(), folder.getValue());
            }
            return new Outcome(true, "");
        } catch (SQLException e) {
            return new Outcome(false, script.getFileName() + ": " + e.getMessage().strip().lines().findFirst().orElse(""));
        } catch (IOException | RuntimeException e) {
            return new Outcome(false, script.getFileName() + ": " + e);
        } finally {
            delete(dir);
        }
    }

    private static String substitute(String sql, Map<String, String> values) {
        Matcher m = PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the script names ${" + m.group(1) + "}, which the job does not pass"
                        + " (it passes " + values.keySet() + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("'", "''")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The script's statements, split at semicolons that end a line. */
    private static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        for (String part : sql.split(";\\s*(\\r?\\n|$)")) {
            String text = part.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + "\n" + b)
                    .strip();
            if (!text.isEmpty()) {
                statements.add(text);
            }
        }
        return statements;
    }

    private void download(String container, String prefix, Path into) throws IOException {
        BlobContainerClient client = blobs.getBlobContainerClient(container);
        if (!client.exists()) {
            return;
        }
        for (BlobItem item : client.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            Path file = into.resolve(item.getName().substring(prefix.length()));
            Files.createDirectories(file.getParent());
            client.getBlobClient(item.getName()).downloadToFile(file.toString(), true);
        }
    }

    /** Uploads every file under {@code from} to {@code container/prefix} (the folder the job writes). */
    private void upload(String folder, Path from) throws IOException {
        String container = folder.substring(0, folder.indexOf('/'));
        String prefix = folder.substring(folder.indexOf('/') + 1);
        BlobContainerClient client = blobs.getBlobContainerClient(container);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = prefix + from.relativize(file).toString().replace('\\', '/');
                client.getBlobClient(name).uploadFromFile(file.toString(), true);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp folder is only disk
        }
    }

    /**
     * Runs each one-time notebook run of a {@link LocalDatabricks} as the script its notebook path names, on a thread
     * of its own, with the notebook's parameters; a run of an existing job runs the script named by the job's name.
     */
    public LocalDatabricks.RunExecutor databricks() {
        return run -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            String code = run.task().path("notebook_task").path("notebook_path").asText(run.runName());
            Outcome outcome = run(code, parameters(run.request()));
            return outcome.succeeded() ? LocalDatabricks.StateStep.succeeded()
                    : LocalDatabricks.StateStep.failed(outcome.message());
        });
    }

    /** The parameters a Databricks run passes: a notebook's base parameters, or a job's job parameters. */
    static Map<String, String> parameters(com.fasterxml.jackson.databind.JsonNode request) {
        Map<String, String> values = new LinkedHashMap<>();
        com.fasterxml.jackson.databind.JsonNode task = request.path("tasks").path(0);
        Optional.ofNullable(task.path("notebook_task").get("base_parameters")).ifPresent(p ->
                p.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText())));
        request.path("job_parameters").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }
}
