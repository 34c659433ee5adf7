package org.solstice.orchestrator.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.guest.BootstrapScript;
import org.solstice.orchestrator.guest.ExitMarker;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;

/**
 * Runs one accepted job from VM to result: provision, start, wait for power-off (up to the job timeout), read
 * the exit marker, and always tear the VM down (ACPI stop, destroy what does not stop, clean up). Every path
 * ends in exactly one JobResult, delivered through {@link ResultDelivery} (stored in the outbox, then published).
 */
public class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Hypervisor hypervisor;
    private final ResultDelivery results;
    private final JobPolicy policy;
    private final RunningJobs running;
    private final JobListener listener;
    private final JobJournal journal;
    private final ConsoleWatch watch;
    private final VmTeardown teardown;
    private final ConsoleLogKeeper logs;

    public JobRunner(Hypervisor hypervisor, ResultDelivery results, JobPolicy policy, RunningJobs running,
                     JobListener listener) {
        this(hypervisor, results, policy, running, listener, JobJournal.NONE);
    }

    public JobRunner(Hypervisor hypervisor, ResultDelivery results, JobPolicy policy, RunningJobs running,
                     JobListener listener, JobJournal journal) {
        this.hypervisor = hypervisor;
        this.results = results;
        this.policy = policy;
        this.running = running;
        this.listener = listener;
        this.journal = journal;
        this.watch = new ConsoleWatch(hypervisor);
        this.teardown = new VmTeardown(hypervisor, policy.shutdownTimeout(), journal);
        this.logs = new ConsoleLogKeeper(policy);
    }

    /** @param guestOffAtNanos when the guest was seen powered off by itself, 0 when it did not */
    /** How a job ended; {@code after} runs once its result is delivered (tearing down a VM that is off). */
    private record Ending(JobOutcome outcome, JobResult result, long guestOffAtNanos, Runnable after) {
        Ending guestOffAt(long nanos) {
            return new Ending(outcome, result, nanos, after);
        }

        Ending then(Runnable next) {
            return new Ending(outcome, result, guestOffAtNanos, next);
        }
    }

    /** Runs the job on the calling thread; returns once its result has been delivered. */
    public void run(AcceptedJob job, Path imagePath) {
        supervised(job, run -> execute(job, imagePath, run));
    }

    /**
     * Takes over a job whose VM survived an orchestrator restart: waits for it as if it had started it at
     * {@code startedAt}, then ends it like any other job.
     */
    public void adopt(AcceptedJob job, VmHandle vm, Instant startedAt) {
        supervised(job, run -> {
            log.info("job {}: adopting VM {} that survived a restart", job.id(), vm.name());
            Duration timeout = timeoutOf(job);
            Duration left = timeout.minus(Duration.between(startedAt, Instant.now()));
            String token = ExitTokenFile.read(vm.jobDir());
            if (token == null) {
                log.warn("job {}: no exit-report token in {}: the job can only end by the guest's power-off, and"
                        + " without a report it fails", job.id(), vm.jobDir());
            }
            return supervise(job, vm, System.nanoTime(), left.isNegative() ? Duration.ZERO : left, timeout, run,
                    token);
        });
    }

    /** Ends a job that never got a VM (its image failed, or it ran out of attempts). */
    public void finishWithoutRunning(AcceptedJob job, JobOutcome outcome, String summary) {
        supervised(job, run -> failure(job, outcome, summary));
    }

    private void supervised(AcceptedJob job, java.util.function.Function<RunningJobs.Run, Ending> body) {
        MDC.put("job", job.id().toString());
        MDC.put("label", job.label());
        RunningJobs.Run run = running.register(job.id());
        try {
            Ending ending = body.apply(run);
            deliver(job, ending);
            if (ending.after() != null) {
                ending.after().run();
            }
        } finally {
            running.unregister(job.id());
            MDC.remove("job");
            MDC.remove("label");
        }
    }

    private Duration timeoutOf(AcceptedJob job) {
        return job.image().timeout() != null ? job.image().timeout() : policy.jobTimeout();
    }

    private Ending execute(AcceptedJob job, Path imagePath, RunningJobs.Run run) {
        JobRequest request = job.request();
        ImageDefinition image = job.image();
        String token = ExitMarker.newToken();
        VmSpec spec = new VmSpec(request.requestId(), VmSpec.vmNameFor(request.requestId()), image.name(),
                imagePath, image.backend(), image.cpus(), image.memoryMiB(), image.diskGiB(),
                image.nocloud(), BootstrapScript.render(request, job.label(), image.jobScript(), token, image.user()),
                "job-" + request.requestId().toString().substring(0, 8), policy.instanceId(),
                policy.jobDir(request.requestId()), image.network().networkConfig(), image.hardware());
        String backend = image.backend() == null ? hypervisor.name() : image.backend();

        journal.provisioning(job, spec, backend);
        listener.provisioning(job, spec.consoleLog());
        VmHandle vm;
        long provisionAt = System.nanoTime();
        try {
            log.info("job {}: provisioning {} VM {} for label {} (image {}, {} CPU, {} MiB)", job.id(), backend,
                    spec.vmName(), job.label(), image.name(), spec.cpus(), spec.memoryMiB());
            vm = hypervisor.provision(spec);
            ExitTokenFile.write(vm.jobDir(), token);
        } catch (java.io.IOException e) {
            log.error("job {}: cannot keep its exit-report token: {}", job.id(), e.getMessage());
            VmHandle provisioned = VmHandle.of(spec, backend);
            teardown.run(job, provisioned, false);
            logs.keep(job, provisioned);
            return failure(job, JobOutcome.PROVISIONING_ERROR, JobSummaries.provisioningFailed(
                    "cannot write the exit-report token in " + spec.jobDir() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            log.error("job {}: provisioning failed: {}", job.id(), e.getMessage());
            journal.vmGone(job, spec.vmName());
            logs.keep(job, VmHandle.of(spec, backend));
            return failure(job, JobOutcome.PROVISIONING_ERROR, JobSummaries.provisioningFailed(e.getMessage()));
        }
        long startAt = System.nanoTime();
        long startedAt;
        try {
            hypervisor.start(vm);
            startedAt = System.nanoTime();
        } catch (RuntimeException e) {
            log.error("job {}: VM {} did not start: {}", job.id(), vm.name(), e.getMessage());
            teardown.run(job, vm, false);
            return failure(job, JobOutcome.PROVISIONING_ERROR, JobSummaries.provisioningFailed(e.getMessage()));
        }
        journal.running(job);
        listener.vmStarted(job, Duration.ofNanos(startedAt - job.acceptedAtNanos()));
        log.info("job {}: VM {} started {} ms after the job was accepted (provisioning {} ms, start {} ms)", job.id(),
                vm.name(), (startedAt - job.acceptedAtNanos()) / 1_000_000, (startAt - provisionAt) / 1_000_000,
                (startedAt - startAt) / 1_000_000);
        Duration timeout = timeoutOf(job);
        return supervise(job, vm, startedAt, timeout, timeout, run, token);
    }

    /** Waits for the guest, tears the VM down and turns what happened into a result. */
    private Ending supervise(AcceptedJob job, VmHandle vm, long startedAt, Duration wait, Duration timeout,
                             RunningJobs.Run run, String token) {
        boolean poweredOff = false;
        boolean cancelled = false;
        try {
            if (run.enterVmWait()) {
                poweredOff = watch.awaitEnd(vm, wait, token);
            } else {
                cancelled = true;
            }
        } catch (InterruptedException e) {
            cancelled = true;
        } catch (RuntimeException e) {
            log.error("job {}: lost track of VM {}: {}", job.id(), vm.name(), e.getMessage());
            run.leaveVmWait();
            teardown.run(job, vm, false);
            return failure(job, JobOutcome.FAILURE, JobSummaries.failed(e.getMessage(), logs.keep(job, vm)));
        } finally {
            run.leaveVmWait();
        }
        long poweredOffAt = System.nanoTime();
        cancelled = cancelled || (run.cancelled() && !poweredOff);
        if (cancelled || !poweredOff) {
            teardown.run(job, vm, false);
            listener.vmFinished(job, Duration.ofNanos(System.nanoTime() - startedAt)); // off now: stopped or destroyed
            String tail = logs.keep(job, vm);
            if (cancelled) {
                log.warn("job {}: cancelled by shutdown; VM {} stopped", job.id(), vm.name());
                return failure(job, JobOutcome.CANCELLED, JobSummaries.cancelled(tail));
            }
            log.warn("job {}: timed out after {}; VM {} destroyed", job.id(), timeout, vm.name());
            return failure(job, JobOutcome.TIMEOUT, JobSummaries.timedOut(timeout, tail));
        }
        listener.vmFinished(job, Duration.ofNanos(poweredOffAt - startedAt));
        // The guest is off and its console complete: the result goes out first and the VM is torn down right
        // after (destroying a domain waits for QEMU to exit, a second or more under emulation). Should the daemon
        // die in between, the stored result is published by the outbox and the leak reaper removes the VM.
        String console = ConsoleTail.readEnd(vm.consoleLog());
        JobChannelLog.Reading channel = logs.readChannel(job, vm, token);
        // the job's own channel, when the guest used it, is the job's output and its report wins; the console's
        // tail and marker count only when it did not
        String tail = channel.used() ? channel.tail()
                : ConsoleTail.lastLines(console, JobSummaries.TAIL_LINES, JobSummaries.TAIL_CHARS);
        Runnable afterResult = () -> {
            teardown.run(job, vm, true);
            logs.keep(job, vm, console);
        };
        OptionalInt status = channel.reported().isPresent() ? channel.reported()
                : ExitMarker.reported(console, token);
        if (status.isEmpty()) {
            log.warn("job {}: guest powered off without reporting an exit status", job.id());
            return failure(job, JobOutcome.FAILURE, JobSummaries.noMarker(tail)).guestOffAt(poweredOffAt)
                    .then(afterResult);
        }
        int exit = status.getAsInt();
        log.info("job {}: finished with exit status {} after {} ms", job.id(), exit,
                (poweredOffAt - startedAt) / 1_000_000);
        return ending(job, exit == 0 ? JobOutcome.SUCCESS : JobOutcome.FAILURE, exit, JobSummaries.exited(exit, tail))
                .guestOffAt(poweredOffAt).then(afterResult);
    }

    private Ending failure(AcceptedJob job, JobOutcome outcome, String summary) {
        return ending(job, outcome, JobResult.NO_EXIT_CODE, summary);
    }

    private Ending ending(AcceptedJob job, JobOutcome outcome, int exitCode, String summary) {
        String text = summary;
        // a backend that boots nothing says so in every result, so nobody takes a noop success for a real one
        if (!hypervisor.capabilitiesFor(job.image().backend()).bootsGuests()) {
            text = "[noop backend: no virtual machine was started] " + summary;
        }
        return new Ending(outcome, JobResult.of(job.request(), outcome == JobOutcome.SUCCESS, exitCode, text,
                Instant.now()), 0, null);
    }

    private void deliver(AcceptedJob job, Ending ending) {
        JobResult result = ending.result();
        listener.outcome(job, ending.outcome());
        long before = System.nanoTime();
        boolean interrupted = Thread.interrupted();
        try {
            if (results.deliver(job, ending.outcome(), result)) {
                long now = System.nanoTime();
                String sinceOff = ending.guestOffAtNanos() == 0 ? ""
                        : ", " + (now - ending.guestOffAtNanos()) / 1_000_000 + " ms after the guest was seen off";
                log.info("job {}: result published (success={}, exit_code={}) in {} ms{}", job.id(), result.success(),
                        result.exitCode(), (now - before) / 1_000_000, sinceOff);
            } else {
                log.warn("job {}: result kept in the outbox; it is published when the broker is back", job.id());
            }
        } catch (InterruptedException e) {
            log.error("job {}: interrupted before the broker confirmed its result; it stays in the outbox", job.id());
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
