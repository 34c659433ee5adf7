package org.solstice.orchestrator.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.job.JobRunner;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.results.Results;
import org.solstice.orchestrator.results.StoreJournal;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.testing.LogCapture;
import org.solstice.orchestrator.testing.NoopDaemonHarness;

/**
 * The leak reaper and a job's own teardown: a job's result goes out before its VM is torn down, so for that window
 * the store says "finished" while the VM exists. The reaper must leave such a VM to its job, and still reap one that
 * is really left behind.
 */
class LeakReaperOwnershipTest {
    private static final String ME = "host-a";
    private static final Duration DESTROY_TAKES = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private JobStore store;
    private SlowDestroyNoop noop;
    private RouterHypervisor hypervisor;
    private JobPolicy policy;
    private final RunningJobs running = new RunningJobs();
    private Reconciler reconciler;
    private ExecutorService pool;

    /** A noop backend whose destroy takes seconds, as QEMU's exit does under emulation; one VM's destroy can fail. */
    static final class SlowDestroyNoop extends NoopHypervisor {
        final Set<String> failOnce = ConcurrentHashMap.newKeySet();

        SlowDestroyNoop() {
            super(Duration.ZERO);
        }

        @Override
        public void destroy(VmHandle vm) {
            try {
                Thread.sleep(DESTROY_TAKES.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failOnce.remove(vm.name())) {
                throw new HypervisorException("virsh destroy " + vm.name() + ": Failed to terminate process");
            }
            super.destroy(vm);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        store = JdbcJobStore.open(DatabaseUrl.parse(null, dir));
        noop = new SlowDestroyNoop();
        hypervisor = new RouterHypervisor(List.of(noop), NoopHypervisor.NAME);
        policy = new JobPolicy(dir, ME, Duration.ofMinutes(1), Duration.ofSeconds(1));
        Files.writeString(dir.resolve("map.yaml"), NoopDaemonHarness.MAP);
        ImageMap images = ImageMapLoader.load(dir.resolve("map.yaml"));
        reconciler = new Reconciler(store, hypervisor, images, policy, 2, running);
        pool = Executors.newFixedThreadPool(9);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
        noop.close();
    }

    private AcceptedJob accepted() {
        JobRequest request = aJob().build();
        String json = new String(JobMessageCodec.encodeRequest(request), StandardCharsets.UTF_8);
        store.accept(new JobRecord(request.requestId(), ME, "linux", "img", json, JobState.ACCEPTED, 0,
                Instant.now(), null, null, null, null, false));
        ImageDefinition image = anImage().at(dir.resolve("img")).build();
        return new AcceptedJob(request, "linux", image, json.getBytes(StandardCharsets.UTF_8), System.nanoTime());
    }

    private JobRunner runner() {
        // results are stored as in the daemon and "published" to a broker that confirms everything at once
        return new JobRunner(noop, new Results(store, result -> { }, ME).delivery(), policy, running,
                JobListener.NONE, new StoreJournal(store));
    }

    @Test
    void vmsWhoseJobsAreStillTearingThemDownAreNotReapedWhileHousekeepingRunsThroughout() throws Exception {
        List<AcceptedJob> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(accepted());
        }
        AtomicBoolean housekeeping = new AtomicBoolean(true);
        int[] passes = {0};
        Future<?> reaper = pool.submit(() -> {
            while (housekeeping.get()) { // the reconcile interval far shorter than a teardown
                reconciler.reapLeaks();
                passes[0]++;
            }
            return null;
        });
        JobRunner runner = runner();
        try (LogCapture logs = new LogCapture()) {
            List<Future<?>> runs = new ArrayList<>();
            for (AcceptedJob job : jobs) {
                runs.add(pool.submit(() -> runner.run(job, dir.resolve("img"))));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            housekeeping.set(false);
            reaper.get(30, TimeUnit.SECONDS);

            assertThat(passes[0]).as("housekeeping passes made while the jobs ended").isGreaterThan(8);
            assertThat(jobs).allSatisfy(job -> assertThat(store.find(job.id()).orElseThrow().state())
                    .isEqualTo(JobState.FINISHED));
            assertThat(reconciler.reaped()).as("VMs counted as leaked (leaked_vms_reaped_total)").isZero();
            assertThat(logs.text()).doesNotContain("leaked VM");
            assertThat(noop.listManagedVms(ME)).as("every job tore its own VM down").isEmpty();
        }
    }

    @Test
    void aVmWhoseTeardownFailedIsReapedByTheNextPass() throws Exception {
        AcceptedJob job = accepted();
        noop.failOnce.add("job-" + job.id());

        runner().run(job, dir.resolve("img"));

        assertThat(store.find(job.id()).orElseThrow().state()).isEqualTo(JobState.FINISHED);
        assertThat(noop.listManagedVms(ME)).as("the failed teardown left the VM").containsExactly("job-" + job.id());
        try (LogCapture logs = new LogCapture()) {
            assertThat(reconciler.reapLeaks()).isEqualTo(1);
            assertThat(reconciler.reaped()).isEqualTo(1);
            assertThat(logs.text()).contains("leaked VM job-" + job.id());
        }
        assertThat(noop.listManagedVms(ME)).isEmpty();
        assertThat(store.vms(ME)).isEmpty();
    }
}
