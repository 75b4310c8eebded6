package io.tributary.definition.source;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The character sets a text source may be written in: every one Java knows, under its names and aliases. */
public final class Encodings {

    /** Names people write that Java spells otherwise. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.of(
            "latin-1", "ISO-8859-1", "latin-9", "ISO-8859-15", "cp-1252", "windows-1252");

    /** Common names, offered when a name is unknown. */
    public static final List<String> COMMON = List.of("utf-8", "utf-16", "utf-16le", "utf-16be", "latin-1",
            "iso-8859-15", "windows-1252", "windows-1250", "shift_jis", "euc-jp", "gb18030", "big5", "koi8-r");

    private Encodings() {
    }

    /** The character set {@code name} names (case-insensitive), or empty when Java knows no such one. */
    public static Optional<Charset> resolve(String name) {
        String javaName = ALIASES.getOrDefault(name.toLowerCase(Locale.ROOT), name);
        try {
            return Charset.isSupported(javaName) ? Optional.of(Charset.forName(javaName)) : Optional.empty();
        } catch (IllegalCharsetNameException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code name} names UTF-8, which sources are read in without transcoding. */
    public static boolean isUtf8(String name) {
        return resolve(name).filter(c -> c.name().equals("UTF-8")).isPresent();
    }
}
