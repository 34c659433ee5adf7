package org.solstice.orchestrator.job;

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
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultSink;

/**
 * Runs one accepted job from VM to result: provision, start, wait for power-off (up to the job timeout), read
 * the exit marker, and always tear the VM down (ACPI stop, destroy what does not stop, clean up). Every path
 * ends in exactly one JobResult handed to the {@link ResultSink}.
 */
public class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Hypervisor hypervisor;
    private final ResultSink results;
    private final JobPolicy policy;
    private final RunningJobs running;
    private final JobListener listener;

    public JobRunner(Hypervisor hypervisor, ResultSink results, JobPolicy policy, RunningJobs running,
                     JobListener listener) {
        this.hypervisor = hypervisor;
        this.results = results;
        this.policy = policy;
        this.running = running;
        this.listener = listener;
    }

    /** Runs the job on the calling thread; returns once its result has been delivered. */
    public void run(AcceptedJob job, java.nio.file.Path imagePath) {
        MDC.put("job", job.id().toString());
        MDC.put("label", job.label());
        RunningJobs.Run run = running.register(job.id());
        try {
            JobResult result = execute(job, imagePath, run);
            deliver(job, result);
        } finally {
            running.unregister(job.id());
            MDC.remove("job");
            MDC.remove("label");
        }
    }

    private JobResult execute(AcceptedJob job, java.nio.file.Path imagePath, RunningJobs.Run run) {
        JobRequest request = job.request();
        ImageDefinition image = job.image();
        VmSpec spec = new VmSpec(request.requestId(), VmSpec.vmNameFor(request.requestId()), job.label(),
                image.name(), imagePath, image.backend(), image.cpus(), image.memoryMiB(), image.diskGiB(),
                image.nocloud(), BootstrapScript.render(request, job.label(), image.jobScript()),
                "job-" + request.requestId().toString().substring(0, 8), policy.instanceId(),
                policy.jobDir(request.requestId()));
        Duration timeout = image.timeout() != null ? image.timeout() : policy.jobTimeout();

        VmHandle vm;
        try {
            log.info("job {}: provisioning {} VM {} for label {} (image {}, {} CPU, {} MiB)", job.id(),
                    spec.backend() == null ? hypervisor.name() : spec.backend(), spec.vmName(), job.label(),
                    image.name(), spec.cpus(), spec.memoryMiB());
            vm = hypervisor.provision(spec);
        } catch (RuntimeException e) {
            log.error("job {}: provisioning failed: {}", job.id(), e.getMessage());
            return failure(job, JobOutcome.PROVISIONING_ERROR, JobSummaries.provisioningFailed(e.getMessage()));
        }

        boolean poweredOff = false;
        boolean timedOut = false;
        boolean cancelled = false;
        long startedAt = 0;
        try {
            hypervisor.start(vm);
            startedAt = System.nanoTime();
            listener.vmStarted(job, Duration.ofNanos(startedAt - job.acceptedAtNanos()));
            log.info("job {}: VM {} started {} ms after the job was accepted", job.id(), vm.name(),
                    (startedAt - job.acceptedAtNanos()) / 1_000_000);
            if (run.enterVmWait()) {
                poweredOff = hypervisor.awaitPowerOff(vm, timeout);
                timedOut = !poweredOff;
            } else {
                cancelled = true;
            }
        } catch (InterruptedException e) {
            cancelled = true;
        } catch (RuntimeException e) {
            log.error("job {}: VM {} failed: {}", job.id(), vm.name(), e.getMessage());
            teardown(job, vm, false);
            if (startedAt == 0) {
                return failure(job, JobOutcome.PROVISIONING_ERROR, JobSummaries.provisioningFailed(e.getMessage()));
            }
            return failure(job, JobOutcome.FAILURE, JobSummaries.failed(e.getMessage(), tail(vm)));
        } finally {
            run.leaveVmWait();
        }
        long poweredOffAt = System.nanoTime();
        if (run.cancelled() && !poweredOff) {
            cancelled = true;
        }
        teardown(job, vm, poweredOff);

        String console = ConsoleTail.readEnd(vm.consoleLog());
        String tail = ConsoleTail.lastLines(console, JobSummaries.TAIL_LINES, JobSummaries.TAIL_CHARS);
        JobResult result;
        if (cancelled) {
            log.warn("job {}: cancelled by shutdown; VM {} stopped", job.id(), vm.name());
            result = failure(job, JobOutcome.CANCELLED, JobSummaries.cancelled(tail));
        } else if (timedOut) {
            log.warn("job {}: timed out after {}; VM {} destroyed", job.id(), timeout, vm.name());
            result = failure(job, JobOutcome.TIMEOUT, JobSummaries.timedOut(timeout, tail));
        } else {
            OptionalInt status = ExitMarker.find(console);
            if (status.isEmpty()) {
                log.warn("job {}: guest powered off without reporting an exit status", job.id());
                result = failure(job, JobOutcome.FAILURE, JobSummaries.noMarker(tail));
            } else {
                int exit = status.getAsInt();
                log.info("job {}: finished with exit status {} after {} ms", job.id(), exit,
                        (poweredOffAt - startedAt) / 1_000_000);
                result = result(job, exit == 0 ? JobOutcome.SUCCESS : JobOutcome.FAILURE, exit,
                        JobSummaries.exited(exit, tail));
            }
        }
        listener.vmFinished(job, Duration.ofNanos(poweredOffAt - startedAt));
        return result;
    }

    /** Always leaves nothing behind: graceful stop if still running, destroy what does not stop, clean up. */
    private void teardown(AcceptedJob job, VmHandle vm, boolean poweredOff) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!poweredOff) {
                boolean stopped = false;
                try {
                    stopped = hypervisor.stop(vm, policy.shutdownTimeout());
                } catch (RuntimeException e) {
                    log.warn("job {}: graceful stop of VM {} failed: {}", job.id(), vm.name(), e.getMessage());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!stopped) {
                    log.warn("job {}: VM {} did not power off within {}; destroying it", job.id(), vm.name(),
                            policy.shutdownTimeout());
                }
            }
            try {
                hypervisor.destroy(vm);
            } catch (RuntimeException e) {
                log.error("job {}: destroying VM {} failed: {}", job.id(), vm.name(), e.getMessage());
            }
            try {
                hypervisor.cleanup(vm);
                log.debug("job {}: VM {} cleaned up", job.id(), vm.name());
            } catch (RuntimeException e) {
                log.error("job {}: cleaning up VM {} failed: {}", job.id(), vm.name(), e.getMessage());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String tail(VmHandle vm) {
        return ConsoleTail.lastLines(ConsoleTail.readEnd(vm.consoleLog()), JobSummaries.TAIL_LINES,
                JobSummaries.TAIL_CHARS);
    }

    private JobResult failure(AcceptedJob job, JobOutcome outcome, String summary) {
        return result(job, outcome, JobResult.NO_EXIT_CODE, summary);
    }

    private JobResult result(AcceptedJob job, JobOutcome outcome, int exitCode, String summary) {
        String text = summary;
        if (NoopHypervisor.NAME.equals(job.image().backend() == null ? hypervisor.name() : job.image().backend())) {
            text = "[noop backend: no virtual machine was started] " + summary;
        }
        listener.outcome(job, outcome);
        return JobResult.of(job.request(), outcome == JobOutcome.SUCCESS, exitCode, text, Instant.now());
    }

    private void deliver(AcceptedJob job, JobResult result) {
        long before = System.nanoTime();
        boolean interrupted = Thread.interrupted();
        try {
            results.publish(result);
            log.info("job {}: result published (success={}, exit_code={}) in {} ms", job.id(), result.success(),
                    result.exitCode(), (System.nanoTime() - before) / 1_000_000);
        } catch (InterruptedException e) {
            log.error("job {}: interrupted before its result was confirmed by the broker; result: {}", job.id(),
                    result.summary().lines().findFirst().orElse(""));
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
