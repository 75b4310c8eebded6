package io.tributary.definition.read;

import java.util.regex.Pattern;

/**
 * The one rule for a blob a definition names ({@code source.blob}, a lookup's {@code from}) and the command line
 * uploads to: {@code container/path}, a container name as Azure allows it, then a blob name.
 */
public final class BlobReference {

    /** The rule, as a pattern the whole reference must match. */
    public static final Pattern PATTERN = Pattern.compile("(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^/].*[^/]|"
            + "(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^/]");

    private BlobReference() {
    }

    /** Why {@code value}, which does not match {@link #PATTERN}, is refused. */
    public static String refusal(String value) {
        return "'" + value + "' is not a blob reference: write \"container/path/name.csv\", where the container name "
                + "is 3-63 lower-case letters, digits and single '-'";
    }
}
