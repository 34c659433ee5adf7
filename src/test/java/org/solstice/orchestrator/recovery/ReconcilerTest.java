package org.solstice.orchestrator.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.job.VmOwnership;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.VmRecord;
import org.solstice.orchestrator.testing.NoopDaemonHarness;

/** Reconciliation of the store, the hypervisor and the state directory after a crash. */
class ReconcilerTest {
    @TempDir
    Path dir;

    private static final String ME = "host-a";
    private JobStore store;
    private NoopHypervisor noop;
    private RouterHypervisor hypervisor;
    private JobPolicy policy;
    private Reconciler reconciler;
    private final Recorded recorded = new Recorded();

    static final class Recorded implements Recoverer {
        final List<UUID> resumed = new ArrayList<>();
        final List<UUID> adopted = new ArrayList<>();
        final List<String> failed = new ArrayList<>();

        @Override
        public void resume(AcceptedJob job) {
            resumed.add(job.id());
        }

        @Override
        public void adopt(AcceptedJob job, VmHandle vm, Instant startedAt) {
            adopted.add(job.id());
        }

        @Override
        public void fail(AcceptedJob job, JobOutcome outcome, String summary) {
            failed.add(job.id() + ": " + summary);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        store = JdbcJobStore.open(DatabaseUrl.parse(null, dir));
        noop = new NoopHypervisor(Duration.ofMinutes(10));
        hypervisor = new RouterHypervisor(List.of(noop), NoopHypervisor.NAME);
        policy = new JobPolicy(dir, ME, Duration.ofHours(1), Duration.ofSeconds(1));
        Files.writeString(dir.resolve("map.yaml"), NoopDaemonHarness.MAP);
        ImageMap images = ImageMapLoader.load(dir.resolve("map.yaml"));
        reconciler = new Reconciler(store, hypervisor, images, policy, 2, VmOwnership.NONE);
    }

    @AfterEach
    void tearDown() {
        store.close();
        noop.close();
    }

    private JobRecord stored(JobState state, int attempts, String instance) {
        JobRequest request = aJob().build();
        JobRecord record = new JobRecord(request.requestId(), instance, "linux", "ubuntu-22.04",
                new String(JobMessageCodec.encodeRequest(request), StandardCharsets.UTF_8), JobState.ACCEPTED, 0,
                Instant.now(), null, null, null, null, false);
        store.accept(record);
        for (int i = 0; i < attempts; i++) {
            store.provisioning(request.requestId(), vm(request.requestId(), instance));
        }
        if (state == JobState.RUNNING) {
            store.running(request.requestId());
        }
        if (state == JobState.FINISHED) {
            store.finish(request.requestId(), "SUCCESS", "{}");
        }
        return record;
    }

    private VmRecord vm(UUID id, String instance) {
        Path jobDir = policy.jobDir(id);
        return new VmRecord(VmSpec.vmNameFor(id), id, instance, NoopHypervisor.NAME, jobDir,
                jobDir.resolve("console.log"), "provisioning", Instant.now());
    }

    private VmHandle liveVm(UUID id, String instance) {
        VmSpec spec = aVmSpec().forJob(id).image("ubuntu-22.04", dir.resolve("img")).hostname("h").instanceId(instance)
                .jobDir(policy.jobDir(id)).build();
        VmHandle vm = noop.provision(spec);
        noop.start(vm);
        return vm;
    }

    @Test
    void eachUnfinishedJobIsResumedAdoptedRunAgainOrFailed() {
        JobRecord accepted = stored(JobState.ACCEPTED, 0, ME);
        JobRecord runningWithVm = stored(JobState.RUNNING, 1, ME);
        liveVm(runningWithVm.requestId(), ME);
        JobRecord runningVmGone = stored(JobState.RUNNING, 1, ME);
        JobRecord provisioningVmGone = stored(JobState.PROVISIONING, 1, ME);
        JobRecord outOfAttempts = stored(JobState.RUNNING, 2, ME);
        JobRecord otherHosts = stored(JobState.RUNNING, 1, "host-b");

        reconciler.recover(recorded);

        assertThat(recorded.resumed).containsExactlyInAnyOrder(accepted.requestId(), runningVmGone.requestId(),
                provisioningVmGone.requestId());
        assertThat(recorded.adopted).containsExactly(runningWithVm.requestId());
        assertThat(recorded.failed).singleElement().asString().startsWith(outOfAttempts.requestId().toString())
                .contains("the orchestrator restarted while the job was running, 2 time(s)");
        assertThat(store.find(runningVmGone.requestId()).orElseThrow().state()).isEqualTo(JobState.ACCEPTED);
        assertThat(store.find(otherHosts.requestId()).orElseThrow().state())
                .as("another instance's jobs are not touched").isEqualTo(JobState.RUNNING);
        assertThat(noop.listManagedVms(ME)).containsExactly(VmSpec.vmNameFor(runningWithVm.requestId()));
    }

    @Test
    void vmsOfFinishedOrUnknownJobsAreReapedAndOtherInstancesAreLeftAlone() {
        JobRecord finished = stored(JobState.FINISHED, 1, ME);
        liveVm(finished.requestId(), ME);
        UUID unknown = UUID.randomUUID();
        liveVm(unknown, ME);
        JobRecord running = stored(JobState.RUNNING, 1, ME);
        liveVm(running.requestId(), ME);
        UUID foreign = UUID.randomUUID();
        liveVm(foreign, "host-b");

        int reaped = reconciler.reapLeaks();

        assertThat(reaped).isEqualTo(2);
        assertThat(reconciler.reaped()).isEqualTo(2);
        assertThat(noop.listManagedVms(ME)).containsExactly(VmSpec.vmNameFor(running.requestId()));
        assertThat(noop.listManagedVms("host-b")).containsExactly(VmSpec.vmNameFor(foreign));
        assertThat(store.vms(ME)).extracting(VmRecord::requestId).containsExactly(running.requestId());
    }

    @Test
    void jobDirectoriesOfNoLiveJobAreRemovedYoungOnesAndLiveOnesKept() throws Exception {
        JobRecord live = stored(JobState.RUNNING, 1, ME);
        Path liveDir = Files.createDirectories(policy.jobDir(live.requestId()));
        Path orphan = Files.createDirectories(policy.jobDir(UUID.randomUUID()));
        Files.writeString(orphan.resolve("overlay.qcow2"), "x");
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path young = Files.createDirectories(policy.jobDir(UUID.randomUUID()));

        reconciler.removeOrphanFiles();

        assertThat(orphan).doesNotExist();
        assertThat(liveDir).exists();
        assertThat(young).as("may belong to a job being accepted right now").exists();
    }
}
