package io.tributary.run;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tributary.settings.SettingReference;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@value #MASK} in any text Tributary shows: the values of the app settings a definition
 * refers to ({@code %NAME%}), in the forms a server or driver may echo them (as is, URL-encoded, form-encoded,
 * JSON-escaped), and the user information of any URL ({@code scheme://user:password@host} shows as
 * {@code scheme://***@host}). Immutable: built once per run, then applied wherever a text leaves.
 *
 * <p>A setting whose value is a URL ({@code scheme://…}) says where a source is, which messages must keep showing:
 * only its credentials are secrets — the user information (whole, the password alone, and as the Base64 of HTTP
 * basic credentials) and the values of its query parameters or JDBC properties whose names say they hold a secret
 * ({@link #SECRET_NAME}). Values shorter than {@value #MIN_LENGTH} characters are not masked: masking every
 * {@code 1} or {@code on} would garble every message, and so short a value is no secret.
 */
public final class SecretMask {

    /** What a secret is shown as. */
    public static final String MASK = "***";
    /** The shortest value that is masked. */
    public static final int MIN_LENGTH = 4;
    /** A mask that knows no setting: it masks only the user information of URLs. */
    public static final SecretMask URLS = new SecretMask(List.of(), Map.of());

    /** {@code scheme://user:password@}, in a URL or free text; the scheme in group 1. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://)[^/\\s?#\"'<>\\\\]+@");
    /** The name of a query parameter or JDBC property that holds a secret. */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(key|token|secret|password|passwd|pwd|sig|signature|auth|credential|code).*");
    /** A {@code name=value} pair of a URL's query or a JDBC URL's properties. */
    private static final Pattern PROPERTY = Pattern.compile("([A-Za-z0-9_.\\-]+)=([^&;#]*)");
    private static final Pattern ESCAPE = Pattern.compile("%[0-9A-F]{2}");

    /** Every form of every secret, longest first, so that a form inside another is masked as part of it. */
    private final List<String> forms;
    /** The setting each form of a named setting's secret comes from. */
    private final Map<String, String> settingOf;

    private SecretMask(List<String> forms, Map<String, String> settingOf) {
        this.forms = forms;
        this.settingOf = settingOf;
    }

    /**
     * The mask of a definition: the values of every setting {@code definitionText} refers to, as {@code settings}
     * has them (a setting that is not set has nothing to mask).
     */
    public static SecretMask of(String definitionText, Function<String, Optional<String>> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : SettingReference.names(definitionText == null ? "" : definitionText)) {
            settings.apply(name).ifPresent(value -> values.put(name, value));
        }
        return URLS.with(values);
    }

    /** This mask, also masking each of {@code values} (as settings' values are: a URL only in its credentials). */
    public SecretMask with(List<String> values) {
        Map<String, String> unnamed = new LinkedHashMap<>();
        for (String value : values) {
            if (value != null) {
                unnamed.put("#" + unnamed.size(), value);
            }
        }
        return with(unnamed);
    }

    /** This mask, also masking {@code value}. */
    public SecretMask with(String value) {
        return with(List.of(value));
    }

    /** This mask, also masking the value of each setting in {@code values} (by name; a name starting {@code #} is none). */
    private SecretMask with(Map<String, String> values) {
        Set<String> all = new LinkedHashSet<>(forms);
        Map<String, String> owners = new HashMap<>(settingOf);
        values.forEach((name, value) -> {
            for (String secret : secrets(value)) {
                if (secret.length() >= MIN_LENGTH) {
                    for (String form : forms(secret)) {
                        all.add(form);
                        if (!name.startsWith("#")) {
                            owners.putIfAbsent(form, name);
                        }
                    }
                }
            }
        });
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMask(List.copyOf(sorted), Map.copyOf(owners));
    }

    /**
     * The name of a setting the definition refers to whose secret {@code text} holds, in any form this mask knows;
     * empty when it holds none (the user information of a URL that is no setting's does not count).
     */
    public Optional<String> settingIn(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        for (String form : forms) {
            if (text.contains(form) && settingOf.containsKey(form)) {
                return Optional.of(settingOf.get(form));
            }
        }
        return Optional.empty();
    }

    /** {@code text} with every secret, and the user information of every URL, replaced by {@value #MASK}; null stays null. */
    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String form : forms) {
            if (masked.contains(form)) {
                masked = masked.replace(form, MASK);
            }
        }
        Matcher m = USER_INFO.matcher(masked);
        return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@") : masked;
    }

    /** Whether {@code text} holds a secret this mask would hide. */
    public boolean reveals(String text) {
        return text != null && !mask(text).equals(text);
    }

    /** The secrets in a setting's value: the value itself, or a URL's credentials. */
    private static List<String> secrets(String value) {
        int scheme = value.indexOf("://");
        if (scheme <= 0 || value.chars().anyMatch(Character::isWhitespace)) {
            return List.of(value);
        }
        List<String> secrets = new ArrayList<>();
        String rest = value.substring(scheme + 3);
        int end = firstOf(rest, "/?#;");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            secrets.add(userInfo);
            secrets.add(decode(userInfo));
            secrets.add(Base64.getEncoder().encodeToString(decode(userInfo).getBytes(StandardCharsets.UTF_8)));
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                secrets.add(userInfo.substring(colon + 1));
                secrets.add(decode(userInfo.substring(colon + 1)));
            }
        }
        Matcher property = PROPERTY.matcher(end < 0 ? "" : rest.substring(end));
        while (property.find()) {
            if (SECRET_NAME.matcher(property.group(1)).matches() && !property.group(2).isEmpty()) {
                secrets.add(property.group(2));
                secrets.add(decode(property.group(2)));
            }
        }
        return secrets;
    }

    /** The forms a server or driver may echo {@code secret} in. */
    private static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.add(lowerEscapes(form.replace("+", "%20")));
        forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
        return forms;
    }

    /** A URL-encoded text with its escapes in lower case ({@code %2f}), as some servers write them. */
    private static String lowerEscapes(String encoded) {
        return ESCAPE.matcher(encoded).replaceAll(r -> r.group().toLowerCase(Locale.ROOT));
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static int firstOf(String text, String characters) {
        int first = -1;
        for (char c : characters.toCharArray()) {
            int at = text.indexOf(c);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
