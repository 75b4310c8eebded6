package io.tributary.definition.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reports every string and field name of a definition that holds a character no definition may: a control character
 * other than tab and line breaks (JSON lets {@code \u0000} through; the engine would cut an expression at it), or
 * half of a surrogate pair. The single-character CSV options may be any control character but NUL, as some exports
 * are delimited by U+0001.
 */
public final class ForbiddenCharacters {

    private static final Set<String> SINGLE_CHARACTERS = Set.of("/source/delimiter", "/source/quote",
            "/source/escape");

    private ForbiddenCharacters() {
    }

    /** Reports, at its pointer, each string of {@code node} (at {@code pointer}) that holds a forbidden character. */
    public static void report(JsonNode node, String pointer, Fields fields) {
        if (node.isTextual()) {
            String text = node.asText();
            int at = DefinitionLimits.forbiddenCharacter(text, SINGLE_CHARACTERS.contains(pointer));
            if (at >= 0) {
                fields.problem(pointer, "the value holds " + DefinitionLimits.describe(text, at) + context(text, at)
                        + "; remove it (a definition's text may hold tabs and line breaks, no other control "
                        + "characters)");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> field = entries.next();
                String child = pointer + "/" + LocatedJson.escape(field.getKey());
                int at = DefinitionLimits.forbiddenCharacter(field.getKey(), false);
                if (at >= 0) {
                    fields.problemAtKey(child, "the field name holds " + DefinitionLimits.describe(field.getKey(), at)
                            + context(field.getKey(), at) + "; remove it");
                }
                report(field.getValue(), child, fields);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                report(node.get(i), pointer + "/" + i, fields);
            }
        }
    }

    /** The few characters before the forbidden one, so that it can be found: {@code (after "amount ")}. */
    private static String context(String text, int at) {
        if (at == 0) {
            return " (its first)";
        }
        String before = text.substring(Math.max(0, at - 20), at);
        StringBuilder shown = new StringBuilder();
        before.codePoints().forEach(c -> shown.append(shownAsEscape(c) ? String.format("\\u%04X", c)
                : new String(Character.toChars(c))));
        return " (after \"" + (at > 20 ? "…" : "") + shown + "\")";
    }

    private static boolean shownAsEscape(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff);
    }
}
