package io.tributary.run;

/**
 * A message that hands a run from one stage to the next. Messages carry references, never data:
 * a queue message is at most 64 KiB.
 */
public sealed interface StageMessage permits ExtractMessage, JobMessage, TransformMessage, CombineMessage, StoreMessage {

    /** The message format this code writes and reads. */
    int VERSION = 1;

    int version();

    RunId runId();

    String pipeline();

    /** Checks the fields every message shares; called from the records' constructors. */
    static void check(int version, RunId runId, String pipeline) {
        if (version != VERSION) {
            throw new IllegalArgumentException("message version " + version + " is not supported; this Tributary reads "
                    + VERSION);
        }
        if (runId == null) {
            throw new IllegalArgumentException("the message names no run");
        }
        if (pipeline == null || pipeline.isBlank()) {
            throw new IllegalArgumentException("the message names no pipeline");
        }
    }
}
