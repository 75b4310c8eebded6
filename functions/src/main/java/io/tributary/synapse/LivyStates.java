package io.tributary.synapse;

import io.tributary.job.JobPhase;
import java.util.Locale;

/**
 * A Synapse Spark batch's Livy {@code state} (and Synapse's {@code result}) in Tributary's words. Terminal are
 * {@code success}, {@code dead}, {@code error} and {@code killed}, as every orchestrator that polls Synapse treats
 * them; a state this list does not know is taken as still running, so that a state Synapse adds later never ends a
 * step by mistake (the job stage's timeout still bounds it).
 *
 * <table>
 *   <caption>states</caption>
 *   <tr><th>state</th><th>phase</th></tr>
 *   <tr><td>{@code not_started}, {@code starting}</td><td>{@link JobPhase#QUEUED}</td></tr>
 *   <tr><td>{@code running}, {@code busy}, {@code idle}, {@code recovering}, {@code shutting_down}, anything
 *   else</td><td>{@link JobPhase#RUNNING}</td></tr>
 *   <tr><td>{@code success}</td><td>{@link JobPhase#SUCCEEDED}</td></tr>
 *   <tr><td>{@code dead}, {@code error}</td><td>{@link JobPhase#FAILED}, or {@link JobPhase#CANCELED} when the result
 *   is {@code Cancelled}</td></tr>
 *   <tr><td>{@code killed}</td><td>{@link JobPhase#CANCELED}</td></tr>
 * </table>
 */
final class LivyStates {

    private LivyStates() {
    }

    static JobPhase phase(String state, String result) {
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "not_started", "starting" -> JobPhase.QUEUED;
            case "success" -> JobPhase.SUCCEEDED;
            case "dead", "error" -> "cancelled".equalsIgnoreCase(result) ? JobPhase.CANCELED : JobPhase.FAILED;
            case "killed" -> JobPhase.CANCELED;
            default -> JobPhase.RUNNING; // running, busy, idle, recovering, shutting_down, and states not known yet
        };
    }

    /** The state as the job's status shows it: {@code dead/Failed}, or the state alone when there is no result. */
    static String text(String state, String result) {
        String shown = state.isEmpty() ? "(no state)" : state;
        return result.isEmpty() ? shown : shown + "/" + result;
    }
}
