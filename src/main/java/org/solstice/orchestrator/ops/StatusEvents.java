package org.solstice.orchestrator.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.ops.OpsMessages.Status;

/** Publishes {@code jobstatus.v1}: accepted, provisioning, running, finished (best effort, never blocking). */
public class StatusEvents implements JobListener {
    public static final String ROUTING_KEY = OpsMessages.STATUS_SCHEMA;

    private final EventPublisher events;

    public StatusEvents(EventPublisher events) {
        this.events = events;
    }

    private void send(AcceptedJob job, Status status, String outcome) {
        events.publish(ROUTING_KEY, job.id().toString(), OpsMessages.status(job, status, outcome, Instant.now()));
    }

    @Override
    public void accepted(AcceptedJob job) {
        send(job, Status.ACCEPTED, null);
    }

    @Override
    public void provisioning(AcceptedJob job, Path consoleLog) {
        send(job, Status.PROVISIONING, null);
    }

    @Override
    public void vmStarted(AcceptedJob job, Duration sinceAccepted) {
        send(job, Status.RUNNING, null);
    }

    @Override
    public void outcome(AcceptedJob job, JobOutcome outcome) {
        send(job, Status.FINISHED, OpsMetrics.outcomeName(outcome));
    }
}
