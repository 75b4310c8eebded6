package io.tributary.azureml;

import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import java.util.Map;

/**
 * What an Azure ML job's {@code properties.status} ({@code JobStatus} in ARM's specification) means in Tributary's
 * phases. The enum is open ({@code modelAsString}): a status not known here is taken as running, and the job stage's
 * timeout ends a job that never finishes.
 */
final class AzureMlJobStatus {

    private static final Map<String, JobPhase> PHASES = Map.ofEntries(
            Map.entry("NotStarted", JobPhase.QUEUED),
            Map.entry("Starting", JobPhase.QUEUED),
            Map.entry("Provisioning", JobPhase.QUEUED),
            Map.entry("Preparing", JobPhase.QUEUED),
            Map.entry("Queued", JobPhase.QUEUED),
            Map.entry("Running", JobPhase.RUNNING),
            Map.entry("Finalizing", JobPhase.RUNNING),
            Map.entry("CancelRequested", JobPhase.RUNNING),
            Map.entry("Completed", JobPhase.SUCCEEDED),
            Map.entry("Failed", JobPhase.FAILED),
            Map.entry("Canceled", JobPhase.CANCELED),
            // Stalled rather than over: a job may come back from NotResponding, and a paused one may resume.
            Map.entry("NotResponding", JobPhase.RUNNING),
            Map.entry("Paused", JobPhase.RUNNING));

    private AzureMlJobStatus() {
    }

    /** Whether {@code status} is one after which the job does not change. */
    static boolean terminal(String status) {
        JobPhase phase = PHASES.get(status);
        return phase != null && phase.terminal();
    }

    /** Where {@code job} stands, with what ARM says about it. */
    static JobState state(JobResource job) {
        String status = job.status();
        JobPhase phase = PHASES.getOrDefault(status, JobPhase.RUNNING);
        String said = String.join("; ", job.serviceErrors());
        String message = switch (status) {
            case "Failed" -> "the job failed" + (said.isEmpty() ? "; Azure Resource Manager does not say why, the "
                    + "job's page in the studio does" : ": " + said);
            case "NotResponding" -> "the job's heartbeat is lost; it may recover, else the step's timeout cancels it"
                    + (said.isEmpty() ? "" : " (" + said + ")");
            case "Paused" -> "the job is paused; it goes on when resumed, else the step's timeout cancels it"
                    + (said.isEmpty() ? "" : " (" + said + ")");
            case "CancelRequested" -> "cancelling" + (said.isEmpty() ? "" : " (" + said + ")");
            case "Unknown", "" -> "Azure ML reports " + (status.isEmpty() ? "no status" : "the status Unknown")
                    + ": taken as running until the job says more, or the step's timeout cancels it"
                    + (said.isEmpty() ? "" : " (" + said + ")");
            default -> PHASES.containsKey(status) ? said : "Azure ML reports status '" + status + "', which "
                    + "Tributary does not know: taken as running until the job says more, or the step's timeout "
                    + "cancels it" + (said.isEmpty() ? "" : " (" + said + ")");
        };
        return new JobState(phase, status, message, job.studio());
    }
}
