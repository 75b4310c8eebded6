package io.tributary.fetch;

import io.tributary.definition.source.RestSource;
import io.tributary.fetch.SourceException.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

/**
 * Expands {@code %SETTING%} (an app setting) and {@code {parameter}} (a run parameter) references in a source's URL
 * and header values. Settings used in headers or in a URL's query are secrets: they are shown as {@code ***}.
 */
final class Placeholders {

    /** A setting reference, {@code %NAME%}, or a parameter reference, {@code {name}}. */

    private final Function<String, Optional<String>> settings;
    private final Map<String, String> parameters;
    private final Secrets secrets;

    Placeholders(Function<String, Optional<String>> settings, Map<String, String> parameters, Secrets secrets) {
        this.settings = settings;
        this.parameters = parameters;
        this.secrets = secrets;
    }

    /** The names of the settings {@code template} refers to. */
    static List<String> settingsIn(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = RestSource.PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A header's value, its settings and parameters inserted as they are. */
    String header(String name, String template) {
        return expand(template, "header '" + name + "'", UnaryOperator.identity(), true).value;
    }

    /**
     * The first request. Before the query, settings are inserted as they are (a base URL) and parameters
     * path-encoded; in the query, every value is encoded, settings are secrets, and a parameter whose value is
     * only references that expand to nothing is left out (so {@code updated_after={watermark}} disappears on a
     * full load).
     */
    RestRequest url(String template) {
        int question = template.indexOf('?');
        String path = question < 0 ? template : template.substring(0, question);
        Expansion base = expand(path, "the url", RestRequest::encode, false);
        StringBuilder value = new StringBuilder(base.value);
        StringBuilder shown = new StringBuilder(base.shown);
        if (question >= 0) {
            String separator = "?";
            for (String pair : template.substring(question + 1).split("&", -1)) {
                int equals = pair.indexOf('=');
                Expansion key = expand(equals < 0 ? pair : pair.substring(0, equals), "the url", RestRequest::encode, true);
                String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
                Expansion val = expand(rawValue, "the url", RestRequest::encode, true);
                if (pair.isEmpty() || (val.value.isEmpty() && RestSource.PLACEHOLDER.matcher(rawValue).replaceAll("").isEmpty()
                        && !rawValue.isEmpty())) {
                    continue;
                }
                String tail = equals < 0 ? "" : "=";
                value.append(separator).append(key.value).append(tail).append(val.value);
                shown.append(separator).append(key.shown).append(tail).append(val.shown);
                separator = "&";
            }
        }
        URI uri;
        try {
            uri = URI.create(value.toString());
        } catch (IllegalArgumentException e) {
            throw new SourceException(Kind.CONFIGURATION, "the url of source.rest expands to '" + secrets.mask(shown.toString())
                    + "', which is not a valid URL (" + e.getMessage().replaceAll(": .*", "") + "); check the url and the "
                    + "settings it uses");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new SourceException(Kind.CONFIGURATION, "the url of source.rest expands to '"
                    + secrets.mask(shown.toString()) + "', which is not an http(s) URL with a host; check the url"
                    + (settingsIn(path).isEmpty() ? "" : " and the setting " + String.join(", ", settingsIn(path))));
        }
        return new RestRequest(uri, secrets.mask(shown.toString()));
    }

    private record Expansion(String value, String shown) {
    }

    /**
     * @param where        how to name the place in messages
     * @param encodeParams how a parameter's value is written there
     * @param secret       whether setting values here are secrets (shown as {@code ***} and encoded like parameters)
     */
    private Expansion expand(String template, String where, UnaryOperator<String> encodeParams, boolean secret) {
        Matcher m = RestSource.PLACEHOLDER.matcher(template);
        StringBuilder value = new StringBuilder();
        StringBuilder shown = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String literal = template.substring(last, m.start());
            value.append(literal);
            shown.append(literal);
            if (m.group(1) != null) {
                String setting = setting(m.group(1), where);
                if (secret) {
                    secrets.add(setting);
                    value.append(encodeParams.apply(setting));
                    shown.append(Secrets.MASK);
                } else {
                    value.append(setting);
                    shown.append(setting);
                }
            } else {
                String parameter = parameter(m.group(2), where);
                value.append(encodeParams.apply(parameter));
                shown.append(encodeParams.apply(parameter));
            }
            last = m.end();
        }
        value.append(template.substring(last));
        shown.append(template.substring(last));
        return new Expansion(value.toString(), shown.toString());
    }

    private String setting(String name, String where) {
        return settings.apply(name).filter(v -> !v.isEmpty()).orElseThrow(() -> new SourceException(Kind.CONFIGURATION,
                "the app setting '" + name + "', used in " + where + " of source.rest, is not set; set it in "
                        + "local.settings.json Values or the app's settings"));
    }

    private String parameter(String name, String where) {
        String value = parameters.get(name);
        if (value == null) {
            throw new SourceException(Kind.CONFIGURATION, where + " of source.rest uses the run parameter {" + name
                    + "}, which this run does not have; available: " + String.join(", ", new TreeSet<>(parameters.keySet()))
                    + " (give others with the run, or write %" + name + "% for an app setting)");
        }
        return value;
    }
}
