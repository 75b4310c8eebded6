package io.tributary.start;

import io.tributary.definition.read.DefinitionLimits;
import io.tributary.run.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How large a request for a run may be, checked before anything of the run is written. A run's parameters are kept
 * in its record and in a row of the run history, whose string properties hold at most 64 KiB (an entity 1 MiB): the
 * bounds here are well under that, so a run that is asked for can always be recorded, and a request that could not
 * be is refused whole instead of leaving half a run that holds its pipeline.
 */
public final class RunRequestLimits {

    /** The largest body of {@code POST /api/pipelines/{pipeline}/runs}, in bytes (64 KiB); over it, 413. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The most parameters a run may be given. */
    public static final int MAX_PARAMETERS = 32;
    /** The longest parameter name, in characters. */
    public static final int MAX_NAME_CHARS = 64;
    /** The longest parameter value, in characters. */
    public static final int MAX_VALUE_CHARS = 4_096;
    /** The most the parameters may take together, as the JSON the run records them in, in bytes (32 KiB). */
    public static final int MAX_PARAMETERS_BYTES = 32 * 1024;
    /** The longest request id, in characters. */
    public static final int MAX_REQUEST_ID_CHARS = 200;

    private RunRequestLimits() {
    }

    /**
     * Checks the parameters a request gives.
     *
     * @throws IllegalArgumentException naming the parameter and the limit it is over, or the character it may not hold
     */
    public static void checkParameters(Map<String, String> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            throw new IllegalArgumentException(parameters.size() + " parameters are given; a run takes at most "
                    + MAX_PARAMETERS);
        }
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (name.length() > MAX_NAME_CHARS) {
                throw new IllegalArgumentException("the parameter name '" + name.substring(0, 40) + "…' is "
                        + name.length() + " characters long; a name is at most " + MAX_NAME_CHARS);
            }
            if (!ManualRuns.PARAMETER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("parameter name '" + name + "' is not a name: use letters, "
                        + "digits and '_', starting with a letter or '_' (it is used as {" + name + "} in URLs "
                        + "and :" + name + " in queries)");
            }
            String value = parameter.getValue();
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + " has no value; give one, or leave it out");
            }
            if (value.length() > MAX_VALUE_CHARS) {
                throw new IllegalArgumentException("the value of parameter " + name + " is " + value.length()
                        + " characters long; a value is at most " + MAX_VALUE_CHARS + " (pass a large input as a "
                        + "file: --input FILE, or a blob the source reads)");
            }
            int at = DefinitionLimits.forbiddenCharacter(value, false);
            if (at >= 0) {
                throw new IllegalArgumentException("the value of parameter " + name + " holds "
                        + DefinitionLimits.describe(value, at) + "; remove it (a value may hold tabs and line breaks, "
                        + "no other control characters)");
            }
        }
        int bytes = Json.compact(parameters).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PARAMETERS_BYTES) {
            throw new IllegalArgumentException("the parameters take " + bytes + " bytes together (as JSON); a run's "
                    + "parameters take at most " + MAX_PARAMETERS_BYTES + " (pass a large input as a file)");
        }
    }

    /**
     * Checks a request id: 1 to {@link #MAX_REQUEST_ID_CHARS} characters, no control characters.
     *
     * @throws IllegalArgumentException saying which
     */
    public static void checkRequestId(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("the request id is empty; give a non-empty one, or none");
        }
        if (requestId.length() > MAX_REQUEST_ID_CHARS) {
            throw new IllegalArgumentException("the request id is " + requestId.length() + " characters long; it is "
                    + "at most " + MAX_REQUEST_ID_CHARS + " (a UUID or a name such as nightly-2026-11-22)");
        }
        int at = DefinitionLimits.forbiddenCharacter(requestId, false);
        if (at >= 0 || requestId.indexOf('\n') >= 0 || requestId.indexOf('\r') >= 0 || requestId.indexOf('\t') >= 0) {
            throw new IllegalArgumentException("the request id holds " + (at >= 0 ? DefinitionLimits.describe(requestId,
                    at) : "a tab or line break") + "; use printable characters only");
        }
    }

    /** Whether a body of {@code bytes} is over {@link #MAX_BODY_BYTES}; what to answer when it is. */
    static String bodyTooLarge(int bytes) {
        return "the body is " + bytes + " bytes, over the " + MAX_BODY_BYTES / 1024 + " KiB a run request may be; "
                + "a run takes at most " + MAX_PARAMETERS + " parameters of " + MAX_VALUE_CHARS + " characters, "
                + MAX_PARAMETERS_BYTES / 1024 + " KiB together (pass a large input as a file)";
    }
}
