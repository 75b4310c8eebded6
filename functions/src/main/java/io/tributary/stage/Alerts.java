package io.tributary.stage;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.AlertSender;
import io.tributary.port.BlobStore;
import io.tributary.run.Alert;
import io.tributary.run.AlertDelivery;
import io.tributary.run.Json;
import io.tributary.run.LogContext;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import java.time.Clock;
import java.util.function.Function;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Raises a run's alerts: each kind at most once per run (and per rerun that resumes it), claimed by a create-only
 * {@code tributary-runs/{runId}/alerts/{kind}.json} that then records the delivery. An alert never fails or undoes
 * the run: whatever goes wrong is logged and recorded, never thrown. A claim whose sender died stays
 * {@code sending}: the alert is not sent twice (at most once rather than at least once — a duplicate is what a
 * redelivered message would otherwise post).
 */
public final class Alerts {

    private static final Logger LOG = LogContext.logger(Alerts.class);

    /** Raises nothing. */
    public static final Alerts OFF = new Alerts(null, AlertSender.NONE, Clock.systemUTC(), name -> Optional.empty());

    private final BlobStore blobs;
    private final AlertSender sender;
    private final Clock clock;
    private final Function<String, Optional<String>> settings;

    /** Alerts whose texts are masked with the values this process's settings hold. */
    public Alerts(BlobStore blobs, AlertSender sender, Clock clock) {
        this(blobs, sender, clock, RunSettings.ofProcess().values());
    }

    /** @param settings the values of the settings definitions name, to mask them in alert texts */
    public Alerts(BlobStore blobs, AlertSender sender, Clock clock, Function<String, Optional<String>> settings) {
        this.blobs = blobs;
        this.sender = sender;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Sends {@code alert} unless this run's alert of its kind was claimed already. Never throws.
     */
    public void raise(Alert alert) {
        if (sender == AlertSender.NONE) {
            return;
        }
        try {
            claimAndSend(RunLayout.RUNS, RunLayout.alert(alert.runId(), claimKind(alert)), alert);
        } catch (RuntimeException e) {
            LOG.warning("alert " + alert.kind() + " of run " + alert.runId() + " could not be raised: "
                    + Failures.describe(e) + "; the run is not affected");
        }
    }

    /** {@code alert} with its text masked with its run's secrets. */
    private Alert masked(Alert alert) {
        String text = RunSecrets.of(blobs, alert.runId(), settings).mask(alert.text());
        return text.equals(alert.text()) ? alert : new Alert(alert.kind(), alert.pipeline(), alert.runId(),
                alert.stage(), alert.chunk(), text, alert.at(), alert.details());
    }

    /** Whether alerts go anywhere (a webhook is configured). */
    public boolean enabled() {
        return sender != AlertSender.NONE;
    }

    /**
     * Sends {@code alert} unless the create-only claim {@code container/claim} exists already, as {@link #raise}
     * does for a run's alerts; for alerts that belong to no run's kind (a poisoned message, claimed per message).
     * Never throws: returns whether this call claimed it.
     */
    public boolean raiseOnce(String container, String claim, Alert alert) {
        if (sender == AlertSender.NONE) {
            return false;
        }
        try {
            return claimAndSend(container, claim, alert);
        } catch (RuntimeException e) {
            LOG.warning("alert " + alert.kind() + " (" + claim + ") could not be raised: " + Failures.describe(e));
            return false;
        }
    }

    /** Claims and sends {@code raised}, its text masked with its run's secrets ({@link RunSecrets}). */
    private boolean claimAndSend(String container, String name, Alert raised) {
        Alert alert = masked(raised);
        if (!blobs.createIfAbsent(container, name,
                Json.bytes(new AlertDelivery.Claim(alert, AlertDelivery.sending(clock.instant()))))) {
            LOG.info("alert " + alert.kind() + " " + (alert.runId() == null ? "" : "of run " + alert.runId() + " ")
                    + "was raised already (" + container + "/" + name + "); not sent again");
            return false;
        }
        AlertDelivery delivery;
        try {
            delivery = sender.send(alert);
        } catch (RuntimeException e) {
            delivery = AlertDelivery.failed(0, Failures.describe(e), clock.instant());
        }
        blobs.put(container, name, Json.bytes(new AlertDelivery.Claim(alert, delivery)));
        return true;
    }

    /**
     * The kind as its claim names it: a run resumed by {@code tributary rerun} may fail (or poison a message) again,
     * which alerts again — once per rerun, the claim naming how many reruns the run had ({@code runFailed-1}).
     */
    private String claimKind(Alert alert) {
        if (alert.kind().equals(Alert.REJECTS_OVER_THRESHOLD)) {
            return alert.kind(); // a run commits once
        }
        int reruns = blobs.list(RunLayout.RUNS, RunLayout.rerunsPrefix(alert.runId())).size();
        return reruns == 0 ? alert.kind() : alert.kind() + "-" + reruns;
    }

    /** Raises {@link Alert#RUN_FAILED} for a run of {@code pipeline} that ended with {@code outcome}, if it failed. */
    void runEnded(String pipeline, RunId runId, RunOutcome outcome) {
        if (outcome.status() != RunState.FAILED) {
            return;
        }
        String where = outcome.stage() == null ? "an unknown stage" : outcome.place();
        raise(new Alert(Alert.RUN_FAILED, pipeline, runId, outcome.stage(), outcome.chunk(),
                "Run " + runId + " of pipeline " + pipeline + " failed in " + where + ": " + outcome.error(),
                outcome.at()));
    }

    /**
     * Raises {@link Alert#POISON_MESSAGE}: the message handing run {@code runId} to {@code stage} failed its last
     * attempt and went to {@code queue}-poison.
     */
    public void poisoned(String pipeline, RunId runId, Stage stage, int chunk, String queue, Throwable error) {
        RunOutcome where = RunOutcome.failed(clock.instant(), stage, chunk, Failures.describe(error));
        raise(new Alert(Alert.POISON_MESSAGE, pipeline, runId, stage, chunk, "The " + where.place() + " message of run "
                + runId + " of pipeline " + pipeline + " failed its last attempt and was moved to "
                + RunLayout.poisonQueue(queue) + ": " + where.error(), where.at()));
    }

    /**
     * Raises {@link Alert#REJECTS_OVER_THRESHOLD} when the committed run's rejected rows are more than its pipeline's
     * {@code alerts.rejectedFraction} of the rows read.
     */
    void committed(Manifest manifest, PipelineDefinition definition) {
        long in = manifest.rows().in();
        long rejected = manifest.rows().rejected();
        Optional<Double> threshold = definition.alerts().rejectedFraction();
        if (threshold.isEmpty() || in == 0 || (double) rejected / in <= threshold.get()) {
            return;
        }
        raise(new Alert(Alert.REJECTS_OVER_THRESHOLD, manifest.pipeline(), manifest.runId(), Stage.STORE, -1,
                String.format(Locale.ROOT, "Run %s of pipeline %s committed with %,d of %,d rows (%.1f%%) rejected, "
                        + "more than alerts.rejectedFraction %s; the rejects are in %s/%s_rejects/",
                        manifest.runId(), manifest.pipeline(), rejected, in, 100.0 * rejected / in,
                        java.math.BigDecimal.valueOf(threshold.get()).stripTrailingZeros().toPlainString(),
                        RunLayout.TRAINING, RunLayout.datasetFolder(manifest.pipeline(), manifest.runId())),
                manifest.committedAt()));
    }
}
