package io.tributary.definition.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.output.RetentionText;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.read.Suggestions;
import io.tributary.job.JobWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the jobs a definition hands to distributed engines: {@code "job"}, the pipeline's transform as a job, and
 * {@code "onCommit"}, the jobs started once a run committed. Each names one compute ({@code databricks},
 * {@code synapse} or {@code azureml}) and its work; every value in the work may hold the run's {@code ${…}} values
 * that its place allows ({@link JobPlaceholders}) and {@code %SETTING%} references.
 */
public final class JobReader {

    public static final List<String> COMPUTES = List.of("databricks", "synapse", "azureml");
    /** An onCommit job's name: it names the step in status, history, lineage and alerts. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_ON_COMMIT = 10;

    private final Fields fields;
    private final WorkFields work;

    /** A reader that reports its problems to {@code fields}. */
    public JobReader(Fields fields) {
        this.fields = fields;
        this.work = new WorkFields(fields);
    }

    /** The transform job {@code node} ({@code "job"}) describes; empty when absent or unreadable. */
    public Optional<Job> transform(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        Set<String> allowed = new HashSet<>(COMPUTES);
        allowed.addAll(Set.of("timeout", "output"));
        if (!fields.object(node, "/job", allowed)) {
            return Optional.empty();
        }
        String format = outputFormat(node.get("output"));
        return job(node, "/job", Job.TRANSFORM, format, true);
    }

    /** The jobs {@code node} ({@code "onCommit"}) lists, in order; empty when absent. */
    public List<Job> onCommit(JsonNode node) {
        List<Job> jobs = new ArrayList<>();
        if (node == null) {
            return jobs;
        }
        if (!node.isArray()) {
            fields.problem("/onCommit", "expected a list of jobs, each {\"name\": …, \"databricks\" | \"synapse\" | "
                    + "\"azureml\": {…}}, found " + Fields.describe(node));
            return jobs;
        }
        if (node.size() > MAX_ON_COMMIT) {
            fields.problem("/onCommit", "at most " + MAX_ON_COMMIT + " jobs may follow a commit, found " + node.size());
            return jobs;
        }
        Set<String> names = new HashSet<>();
        Set<String> allowed = new HashSet<>(COMPUTES);
        allowed.addAll(Set.of("name", "timeout"));
        for (int i = 0; i < node.size(); i++) {
            String at = "/onCommit/" + i;
            JsonNode entry = node.get(i);
            if (!fields.object(entry, at, allowed)) {
                continue;
            }
            String name = fields.string(entry, at, "name", true);
            if (name != null && (!NAME.matcher(name).matches() || name.equals(Job.TRANSFORM))) {
                fields.problem(at + "/name", name.equals(Job.TRANSFORM) ? "'transform' names the pipeline's own "
                        + "transform job; call this one something else, e.g. \"train\"" : "'" + name + "' is not a "
                        + "job name: lower-case letters, digits and '-', starting with a letter, at most 32");
                name = null;
            } else if (name != null && !names.add(name)) {
                fields.problem(at + "/name", "two jobs are named '" + name + "'; each needs a name of its own");
                name = null;
            }
            // A job with a bad name is still read, so that all of its problems are reported at once.
            Optional<Job> job = job(entry, at, name == null ? "unnamed" : name, null, false);
            if (name != null) {
                job.ifPresent(jobs::add);
            }
        }
        return jobs;
    }

    private Optional<Job> job(JsonNode node, String at, String name, String format, boolean transform) {
        List<String> computes = COMPUTES.stream().filter(node::has).toList();
        Duration timeout = timeout(node, at);
        if (computes.size() != 1) {
            fields.problem(at, computes.isEmpty() ? "a job names its compute and its work: \"databricks\": {…}, "
                    + "\"synapse\": {…} or \"azureml\": {…}" : "a job runs on one compute; found "
                    + String.join(" and ", computes));
            return Optional.empty();
        }
        String compute = computes.get(0);
        String workAt = at + "/" + compute;
        JsonNode workNode = node.get(compute);
        placeholders(workNode, workAt, transform);
        Optional<? extends JobWork> read = switch (compute) {
            case "databricks" -> new DatabricksReader(work).read(workNode, workAt);
            case "synapse" -> new SynapseReader(work).read(workNode, workAt);
            default -> new AzureMlReader(work).read(workNode, workAt);
        };
        if (transform && read.isPresent() && !mentionsOutput(workNode)) {
            fields.problem(workAt, "the transform job must be told where to write: pass \"${output.uri}\" (or "
                    + "\"${output.url}\") in its parameters or arguments; Tributary reads the job's output from there");
        }
        return read.map(w -> new Job(name, w, timeout, format));
    }

    private Duration timeout(JsonNode node, String at) {
        String text = fields.string(node, at, "timeout", false);
        if (text == null) {
            return Job.DEFAULT_TIMEOUT;
        }
        Optional<Duration> timeout = RetentionText.parse(text);
        if (timeout.isEmpty() || timeout.get().toMinutes() < 1 || timeout.get().compareTo(Job.MAX_TIMEOUT) > 0) {
            fields.problem(at + "/timeout", "'" + text + "' is not a job timeout; write " + RetentionText.FORM
                    + ", from 1m to 7d (default 2h)");
            return Job.DEFAULT_TIMEOUT;
        }
        return timeout.get();
    }

    private String outputFormat(JsonNode node) {
        if (node == null) {
            return "parquet";
        }
        if (!fields.object(node, "/job/output", Set.of("format"))) {
            return "parquet";
        }
        String format = fields.string(node, "/job/output", "format", false);
        if (format == null) {
            return "parquet";
        }
        if (!Job.OUTPUT_FORMATS.contains(format)) {
            fields.problem("/job/output/format", "unknown output format '" + format + "'"
                    + Suggestions.didYouMean(format, Job.OUTPUT_FORMATS) + "; allowed: "
                    + String.join(", ", Job.OUTPUT_FORMATS));
            return "parquet";
        }
        return format;
    }

    /** Reports each {@code ${name}} in the work's texts that its place does not have. */
    private void placeholders(JsonNode node, String at, boolean transform) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            for (String name : JobPlaceholders.names(node.asText())) {
                if (!JobPlaceholders.isAllowed(name, transform)) {
                    List<String> allowed = JobPlaceholders.allowed(transform);
                    String elsewhere = JobPlaceholders.isAllowed(name, !transform) ? " (it is "
                            + (transform ? "a job after the commit's" : "the transform job's") + ")" : "";
                    fields.problem(at, "${" + name + "} is not a value " + (transform ? "the transform job" : "a job "
                            + "after the commit") + " has" + elsewhere + Suggestions.didYouMean(name, allowed)
                            + "; it has ${" + String.join("}, ${", allowed) + "}");
                }
            }
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                placeholders(entry.getValue(), at + "/" + LocatedJson.escape(entry.getKey()), transform);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                placeholders(node.get(i), at + "/" + i, transform);
            }
        }
    }

    private static boolean mentionsOutput(JsonNode node) {
        if (node.isTextual()) {
            Set<String> names = JobPlaceholders.names(node.asText());
            return names.contains("output.uri") || names.contains("output.url");
        }
        for (JsonNode child : node) {
            if (mentionsOutput(child)) {
                return true;
            }
        }
        return false;
    }
}
