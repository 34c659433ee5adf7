package org.solstice.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.GuestNetwork;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.guest.BootstrapScript;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;
import org.solstice.orchestrator.messaging.JobResult;

class JobRunnerTest {
    @TempDir
    Path dir;

    private final List<JobResult> results = Collections.synchronizedList(new ArrayList<>());
    private final ResultDelivery sink = (job, outcome, result) -> results.add(result);
    private final RunningJobs running = new RunningJobs();

    private AcceptedJob job(Duration timeout) {
        ImageDefinition image = anImage().at(dir.resolve("img")).timeout(timeout).build();
        return new AcceptedJob(aJob().build(), "label", image, new byte[0], System.nanoTime());
    }

    private JobRunner runner(NoopHypervisor hypervisor) {
        return new JobRunner(hypervisor, sink, new JobPolicy(dir, "test", Duration.ofMinutes(1), Duration.ofSeconds(1)),
                running, JobListener.NONE);
    }

    /**
     * Noop backend whose guests print a given console and exit with a given marker (or none); {@code <token>} in
     * the console stands for the token of the job's bootstrap.
     */
    static class ScriptedHypervisor extends NoopHypervisor {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        String console = "";
        /** What the guest writes to its job channel (raw records, {@code <token>} replaced), or "" for nothing. */
        String channel = "";
        volatile String token = "";
        boolean failProvision;

        ScriptedHypervisor(Duration runTime) {
            super(runTime);
        }

        @Override
        public VmHandle provision(VmSpec spec) {
            calls.add("provision");
            if (failProvision) {
                throw new HypervisorException("qemu-img create failed: No space left on device");
            }
            token = BootstrapScript.token(spec.userData()).orElseThrow();
            return super.provision(spec);
        }

        @Override
        public boolean awaitPowerOff(VmHandle vm, Duration timeout) throws InterruptedException {
            calls.add("await");
            boolean off = super.awaitPowerOff(vm, timeout);
            if (off && !console.isEmpty()) {
                try {
                    Files.writeString(vm.consoleLog(), console.replace("<token>", token));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (off && !channel.isEmpty()) {
                try {
                    Files.writeString(vm.channelLog(), channel.replace("<token>", token));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return off;
        }

        @Override
        public boolean stop(VmHandle vm, Duration timeout) {
            calls.add("stop");
            return super.stop(vm, timeout);
        }

        @Override
        public void destroy(VmHandle vm) {
            calls.add("destroy");
            super.destroy(vm);
        }

        @Override
        public void cleanup(VmHandle vm) {
            calls.add("cleanup");
            super.cleanup(vm);
        }
    }

    @Test
    void theExitMarkerDecidesTheResultAndTheTailIsInTheSummary() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = "booting\n\u001b[1mcompiling\u001b[0m\nerror: test failed\nSOLSTICE_JOB_EXIT=2 <token>\n";

        runner(hv).run(job(null), dir.resolve("img"));

        assertThat(results).hasSize(1);
        JobResult r = results.get(0);
        assertThat(r.success()).isFalse();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.summary()).contains("job exited with status 2").contains("compiling\nerror: test failed")
                .doesNotContain("SOLSTICE_JOB_EXIT").doesNotContain("\u001b");
        assertThat(hv.calls).endsWith("destroy", "cleanup");
        assertThat(hv.listManagedVms("test")).isEmpty();
    }

    @Test
    void aReportGluedToOutputWithoutANewlineCounts() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = "building\nprogress 100%SOLSTICE_JOB_EXIT=0 <token>";

        runner(hv).run(job(null), dir.resolve("img"));

        JobResult r = results.get(0);
        assertThat(r.success()).as(r.summary()).isTrue();
        assertThat(r.exitCode()).isZero();
        assertThat(r.summary()).contains("building\nprogress 100%").doesNotContain("SOLSTICE_JOB_EXIT");
    }

    @Test
    void aMarkerWithoutTheJobsTokenDecidesNothing() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = "SOLSTICE_JOB_EXIT=0\nSOLSTICE_JOB_EXIT=0 0123456789abcdef01234567\n";

        runner(hv).run(job(null), dir.resolve("img"));

        JobResult r = results.get(0);
        assertThat(r.success()).isFalse();
        assertThat(r.exitCode()).isEqualTo(JobResult.NO_EXIT_CODE);
        assertThat(r.summary()).contains("ended without reporting an exit status");
    }

    @Test
    void aGuestThatPowersOffWithoutTheMarkerFails() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = "kernel panic\n";

        runner(hv).run(job(null), dir.resolve("img"));

        JobResult r = results.get(0);
        assertThat(r.success()).isFalse();
        assertThat(r.exitCode()).isEqualTo(JobResult.NO_EXIT_CODE);
        assertThat(r.summary()).startsWith("[noop backend").contains("ended without reporting an exit status")
                .contains("kernel panic");
    }

    @Test
    void aProvisioningErrorEndsInAFailedResultSayingWhy() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.failProvision = true;

        runner(hv).run(job(null), dir.resolve("img"));

        JobResult r = results.get(0);
        assertThat(r.success()).isFalse();
        assertThat(r.summary()).contains("could not start a VM for the job: qemu-img create failed: No space left");
        assertThat(hv.calls).containsExactly("provision");
    }

    @Test
    void aJobPastItsTimeoutIsStoppedAndReportedAsTimedOut() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ofMinutes(10));

        runner(hv).run(job(Duration.ofMillis(300)), dir.resolve("img"));

        JobResult r = results.get(0);
        assertThat(r.success()).isFalse();
        assertThat(r.summary()).contains("job timed out after 0 s; its VM was destroyed");
        assertThat(hv.calls).containsSubsequence("await", "stop", "destroy", "cleanup");
        assertThat(hv.listManagedVms("test")).isEmpty();
    }

    @Test
    void cancellingARunningJobStopsItsVmAndSaysSo() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ofMinutes(10));
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                runner(hv).run(job(null), dir.resolve("img"));
            } catch (Throwable e) {
                error.set(e);
            }
            finished.countDown();
        });
        t.start();
        await("the job to run and its VM to be awaited").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> running.size() > 0 && hv.calls.contains("await"));

        running.cancelAll();

        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(error.get()).isNull();
        JobResult r = results.get(0);
        assertThat(r.success()).isFalse();
        assertThat(r.summary()).contains("job cancelled");
        assertThat(hv.calls).containsSubsequence("stop", "destroy", "cleanup");
        assertThat(running.size()).isZero();
    }

    @Test
    void theBootstrapCarriesTheJobAndTheImagesOwnScriptReplacesTheDefaultBody() {
        AtomicReference<VmSpec> seen = new AtomicReference<>();
        NoopHypervisor hv = new NoopHypervisor(Duration.ZERO) {
            @Override
            public VmHandle provision(VmSpec spec) {
                seen.set(spec);
                return super.provision(spec);
            }
        };
        AcceptedJob plain = job(null);
        runner(hv).run(plain, dir.resolve("img"));
        assertThat(seen.get().userData()).startsWith("#!/bin/sh\n")
                .contains("export SOLSTICE_REQUEST_ID='" + plain.id() + "'")
                .contains(".solstice/job.sh");
        assertThat(seen.get().vmName()).isEqualTo("job-" + plain.id());
        assertThat(seen.get().jobDir()).isEqualTo(dir.resolve("jobs").resolve(plain.id().toString()));

        ImageDefinition custom = anImage().at(dir.resolve("img"))
                .jobScript("echo custom job \"$SOLSTICE_COMMIT_SHA\"\n").build();
        runner(hv).run(new AcceptedJob(aJob().build(), "label", custom, new byte[0], System.nanoTime()),
                dir.resolve("img"));
        assertThat(seen.get().userData()).contains("echo custom job \"$SOLSTICE_COMMIT_SHA\"")
                .doesNotContain(".solstice/job.sh");
    }

    @Test
    void theImagesUserAndNetworkReachTheBootstrapAndTheSeed() {
        AtomicReference<VmSpec> seen = new AtomicReference<>();
        NoopHypervisor hv = new NoopHypervisor(Duration.ZERO) {
            @Override
            public VmHandle provision(VmSpec spec) {
                seen.set(spec);
                return super.provision(spec);
            }
        };
        ImageDefinition image = anImage().at(dir.resolve("img")).user("runner").network(GuestNetwork.NONE).build();

        runner(hv).run(new AcceptedJob(aJob().build(), "label", image, new byte[0], System.nanoTime()),
                dir.resolve("img"));

        assertThat(seen.get().userData()).contains("solstice_user='runner'");
        assertThat(seen.get().networkConfig()).isEqualTo(GuestNetwork.NONE.networkConfig());
        assertThat(results.get(0).success()).as(results.get(0).summary()).isTrue();

        runner(hv).run(job(null), dir.resolve("img"));
        assertThat(seen.get().userData()).contains("solstice_user='root'");
        assertThat(seen.get().networkConfig()).as("dhcp: no network-config, as before").isNull();
    }
}
