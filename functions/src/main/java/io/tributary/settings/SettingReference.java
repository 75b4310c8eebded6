package io.tributary.settings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a definition refers to an app setting: {@code %NAME%}, the name in group 1. */
public final class SettingReference {

    public static final Pattern PATTERN = Pattern.compile("%([A-Za-z0-9_:.-]+)%");

    private SettingReference() {
    }

    /** The names of the settings {@code text} refers to, each once, in order of mention. */
    public static List<String> names(String text) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        Matcher m = PATTERN.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }
}
