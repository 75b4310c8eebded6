package io.tributary.definition;

import java.util.regex.Pattern;

/**
 * Starts a run when a blob whose name (inside the {@code landing} container) matches a glob lands.
 * {@code *} matches within one folder level, {@code **} across levels, {@code ?} one character.
 */
public record FileDropTrigger(String path) {

    public boolean matches(String blobName) {
        return toRegex(path).matcher(blobName).matches();
    }

    static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
