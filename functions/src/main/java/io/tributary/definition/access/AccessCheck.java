package io.tributary.definition.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.BlobReference;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.source.RestSource;
import io.tributary.settings.SettingReference;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reports, at its place in the file, every app setting a definition names that {@link SettingAccess} refuses and
 * every container it reads that {@link ContainerAccess} refuses. Settings are looked for where a run resolves them
 * (a REST source's url and header values, a SQL source's url, user and password, a schedule's cron, every text of
 * a job's work), with the
 * pattern that resolves them there: elsewhere {@code %} is only text ({@code "%Y-%m-%d"}).
 */
public final class AccessCheck {

    private final Fields fields;
    private final SettingAccess settings;
    private final ContainerAccess containers;

    /** A check that reports to {@code fields} what {@code settings} and {@code containers} refuse. */
    public AccessCheck(Fields fields, SettingAccess settings, ContainerAccess containers) {
        this.fields = fields;
        this.settings = settings;
        this.containers = containers;
    }

    /** Reports each refused setting and container of the definition whose tree is {@code root}, whatever its shape. */
    public void check(JsonNode root) {
        if (!root.isObject()) {
            return;
        }
        JsonNode rest = root.path("source").path("rest");
        settings(rest.get("url"), "/source/rest/url", RestSource.PLACEHOLDER);
        if (rest.path("headers").isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> headers = rest.get("headers").fields(); headers.hasNext(); ) {
                Map.Entry<String, JsonNode> header = headers.next();
                settings(header.getValue(), "/source/rest/headers/" + LocatedJson.escape(header.getKey()),
                        RestSource.PLACEHOLDER);
            }
        }
        JsonNode sql = root.path("source").path("sql");
        for (String field : new String[] {"url", "user", "password"}) {
            settings(sql.get(field), "/source/sql/" + field, SettingReference.PATTERN);
        }
        JsonNode cron = root.path("schedule").get("cron");
        if (cron != null && cron.isTextual() && SettingReference.PATTERN.matcher(cron.asText().trim()).matches()) {
            settings(cron, "/schedule/cron", SettingReference.PATTERN);
        }
        jobSettings(root.get("job"), "/job");
        JsonNode onCommit = root.get("onCommit");
        if (onCommit != null && onCommit.isArray()) {
            for (int i = 0; i < onCommit.size(); i++) {
                jobSettings(onCommit.get(i), "/onCommit/" + i);
            }
        }
        container(root.path("source").get("blob"), "/source/blob");
        JsonNode steps = root.get("steps");
        if (steps != null && steps.isArray()) {
            for (int i = 0; i < steps.size(); i++) {
                if ("lookup".equals(steps.get(i).path("op").asText(null))) {
                    container(steps.get(i).get("from"), "/steps/" + i + "/from");
                }
            }
        }
        JsonNode trigger = root.get("trigger");
        if (trigger != null && "dataset".equals(trigger.path("type").asText(null))) {
            containers.refusal(ContainerAccess.DATASETS).ifPresent(why -> fields.problem(
                    trigger.has("pipeline") ? "/trigger/pipeline" : "/trigger", "a dataset trigger reads the "
                            + "upstream's datasets in the container " + ContainerAccess.DATASETS + ", but " + why));
        }
    }

    /** Every text in a job's work, where a run resolves {@code %SETTING%} before it submits the job. */
    private void jobSettings(JsonNode job, String pointer) {
        if (job == null || !job.isObject()) {
            return;
        }
        for (String compute : io.tributary.definition.job.JobReader.COMPUTES) {
            texts(job.get(compute), pointer + "/" + compute);
        }
    }

    private void texts(JsonNode node, String pointer) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            settings(node, pointer, SettingReference.PATTERN);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                texts(entry.getValue(), pointer + "/" + LocatedJson.escape(entry.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                texts(node.get(i), pointer + "/" + i);
            }
        }
    }

    /** Each setting {@code value} names (group 1 of {@code pattern}) that the access refuses, once. */
    private void settings(JsonNode value, String pointer, Pattern pattern) {
        if (value == null || !value.isTextual()) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = pattern.matcher(value.asText());
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            }
        }
        for (String name : names) {
            settings.refusal(name).ifPresent(why -> fields.problem(pointer, "'%" + name + "%': " + why));
        }
    }

    private void container(JsonNode value, String pointer) {
        if (value == null || !value.isTextual() || !BlobReference.PATTERN.matcher(value.asText()).matches()) {
            return;
        }
        String container = value.asText().substring(0, value.asText().indexOf('/'));
        containers.refusal(container).ifPresent(why -> fields.problem(pointer, "'" + value.asText()
                + "': " + why));
    }
}
