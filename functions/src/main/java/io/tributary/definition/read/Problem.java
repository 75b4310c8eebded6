package io.tributary.definition.read;

/**
 * One thing wrong with a pipeline definition, located precisely enough for an editor to jump to it.
 *
 * @param file    the definition file as the user named it
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param pointer JSON pointer of the offending value ("" for the whole document)
 * @param message what is wrong and how to fix it
 */
public record Problem(String file, int line, int column, String pointer, String message) {

    /** The {@code file:line:col: /json/pointer: message} form that {@code tributary validate} prints. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
