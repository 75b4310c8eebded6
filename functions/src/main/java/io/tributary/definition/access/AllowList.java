package io.tributary.definition.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Names an operator opens with an app setting: a comma-separated list of names and prefixes ending in {@code *}
 * ({@code CRM_*,ORDERS_DB_URL}); {@code *} alone is every name. Names are matched as written.
 *
 * @param setting the app setting the list comes from, for messages
 * @param entries the list's entries, in order, without blanks
 */
record AllowList(String setting, List<String> entries) {

    AllowList {
        entries = List.copyOf(entries);
    }

    /** The list in {@code value} (null or blank: empty). */
    static AllowList parse(String setting, String value) {
        List<String> entries = new ArrayList<>();
        if (value != null) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return new AllowList(setting, entries);
    }

    boolean allows(String name) {
        return entries.stream().anyMatch(e -> e.endsWith("*") ? name.startsWith(e.substring(0, e.length() - 1))
                : name.equals(e));
    }

    /** The list as {@code (it lists: a, b*)} or {@code (it is not set, …)}, to end a refusal. */
    String shown(String unset) {
        return entries.isEmpty() ? "(" + setting + " is not set" + unset + ")"
                : "(it lists: " + String.join(", ", entries) + ")";
    }

    /**
     * An entry of a fixed deny-list: a name or a prefix ending in {@code *}, matched ignoring case, and whom the names
     * belong to.
     */
    record Denied(String pattern, String owner) {

        boolean matches(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            String p = pattern.toLowerCase(Locale.ROOT);
            return p.endsWith("*") ? lower.startsWith(p.substring(0, p.length() - 1)) : lower.equals(p);
        }

        static Optional<Denied> first(List<Denied> list, String name) {
            return list.stream().filter(d -> d.matches(name)).findFirst();
        }
    }
}
