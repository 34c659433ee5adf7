package org.solstice.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link JobStore} driver must show; each driver's test extends this class. */
public abstract class JobStoreContractTest {
    protected JobStore store;
    protected final String instance = "host-" + UUID.randomUUID().toString().substring(0, 8);

    /** A fresh, empty store. */
    protected abstract JobStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    protected JobRecord newJob(String instanceId) {
        UUID id = UUID.randomUUID();
        return new JobRecord(id, instanceId, "linux", "ubuntu", "{\"request_id\":\"" + id + "\"}", JobState.ACCEPTED,
                0, Instant.now().truncatedTo(ChronoUnit.MILLIS), null, null, null, null, false);
    }

    /** {@code job} accepted 5 ms after {@code earlier}: an order that does not depend on the clock's resolution. */
    private static JobRecord acceptedLater(JobRecord job, JobRecord earlier) {
        return new JobRecord(job.requestId(), job.instanceId(), job.label(), job.image(), job.requestJson(),
                job.state(), job.attempts(), earlier.acceptedAt().plusMillis(5), job.startedAt(), job.finishedAt(),
                job.outcome(), job.resultJson(), job.resultPublished());
    }

    protected VmRecord vmFor(JobRecord job) {
        return new VmRecord("job-" + job.requestId(), job.requestId(), job.instanceId(), "noop",
                Path.of("/state/jobs/" + job.requestId()), Path.of("/state/jobs/" + job.requestId() + "/console.log"),
                "defined", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void anAcceptedJobIsStoredOnceAndADuplicateIsRefused() {
        JobRecord job = newJob(instance);

        assertThat(store.accept(job)).isTrue();
        assertThat(store.accept(job)).as("the same request_id again").isFalse();

        JobRecord stored = store.find(job.requestId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.ACCEPTED);
        assertThat(stored.requestJson()).isEqualTo(job.requestJson());
        assertThat(stored.acceptedAt()).isEqualTo(job.acceptedAt());
        assertThat(stored.attempts()).isZero();
        assertThat(stored.resultPublished()).isFalse();
    }

    @Test
    void aJobGoesThroughItsStatesToAPublishedResult() {
        JobRecord job = newJob(instance);
        store.accept(job);
        VmRecord vm = vmFor(job);

        store.provisioning(job.requestId(), vm);
        assertThat(store.find(job.requestId()).orElseThrow().state()).isEqualTo(JobState.PROVISIONING);
        assertThat(store.find(job.requestId()).orElseThrow().attempts()).isEqualTo(1);
        assertThat(store.vms(instance)).containsExactly(vm);

        store.running(job.requestId());
        JobRecord running = store.find(job.requestId()).orElseThrow();
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.startedAt()).isNotNull();

        store.finish(job.requestId(), "SUCCESS", "{\"success\":true}");
        assertThat(store.unfinished(instance)).isEmpty();
        assertThat(store.unpublished(instance)).extracting(JobRecord::requestId).containsExactly(job.requestId());

        store.resultPublished(job.requestId());
        store.vmGone(vm.name());
        JobRecord done = store.find(job.requestId()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.FINISHED);
        assertThat(done.outcome()).isEqualTo("SUCCESS");
        assertThat(done.resultJson()).isEqualTo("{\"success\":true}");
        assertThat(done.finishedAt()).isNotNull();
        assertThat(store.unpublished(instance)).isEmpty();
        assertThat(store.vms(instance)).isEmpty();
    }

    @Test
    void aRetriedJobIsAcceptedAgainAndKeepsItsAttempts() {
        JobRecord job = newJob(instance);
        store.accept(job);
        store.provisioning(job.requestId(), vmFor(job));
        store.running(job.requestId());

        store.retry(job.requestId());
        store.provisioning(job.requestId(), vmFor(job));

        JobRecord again = store.find(job.requestId()).orElseThrow();
        assertThat(again.state()).isEqualTo(JobState.PROVISIONING);
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(store.vms(instance)).hasSize(1);
    }

    @Test
    void unfinishedAndVmsArePerInstanceAndOldestFirst() throws Exception {
        JobRecord first = newJob(instance);
        store.accept(first);
        JobRecord second = acceptedLater(newJob(instance), first);
        store.accept(second);
        JobRecord other = acceptedLater(newJob(instance + "-other"), second);
        store.accept(other);
        store.provisioning(other.requestId(), vmFor(other));

        assertThat(store.unfinished(instance)).extracting(JobRecord::requestId)
                .containsExactly(first.requestId(), second.requestId());
        assertThat(store.vms(instance)).isEmpty();
        assertThat(store.vms(instance + "-other")).hasSize(1);
        assertThat(store.recent(2)).extracting(JobRecord::requestId).doesNotContain(first.requestId());
    }

    @Test
    void aForgottenJobIsGoneWithItsRequestAndCanBeAcceptedAgain() {
        JobRecord job = newJob(instance);
        store.accept(job);
        store.forget(job.requestId());

        assertThat(store.find(job.requestId())).isEmpty();
        JobRecord again = new JobRecord(job.requestId(), instance, "linux", "ubuntu", "{\"again\":true}",
                JobState.ACCEPTED, 0, job.acceptedAt(), null, null, null, null, false);
        assertThat(store.accept(again)).as("handed back, then delivered to this host again").isTrue();
        assertThat(store.find(job.requestId()).orElseThrow().requestJson()).isEqualTo("{\"again\":true}");
    }

    @Test
    void aRetriedFinishKeepsTheLastResult() {
        JobRecord job = newJob(instance);
        store.accept(job);
        store.finish(job.requestId(), "FAILURE", "{\"success\":false}");
        store.finish(job.requestId(), "SUCCESS", "{\"success\":true}");

        JobRecord done = store.find(job.requestId()).orElseThrow();
        assertThat(done.outcome()).isEqualTo("SUCCESS");
        assertThat(done.resultJson()).isEqualTo("{\"success\":true}");
        assertThat(done.requestJson()).isEqualTo(job.requestJson());
    }

    @Test
    void updatingAJobThatIsNotStoredFails() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> store.running(unknown)).isInstanceOf(StoreException.class)
                .hasMessageContaining(unknown.toString());
        assertThatThrownBy(() -> store.finish(unknown, "SUCCESS", "{}")).isInstanceOf(StoreException.class);
        assertThat(store.find(unknown)).isEmpty();
    }

    @Test
    void concurrentAcceptsOfOneRequestIdStoreItExactlyOnce() throws Exception {
        JobRecord job = newJob(instance);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                attempts.add(pool.submit(() -> store.accept(job)));
            }
            int accepted = 0;
            for (Future<Boolean> f : attempts) {
                accepted += f.get() ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aWriteThatFailsAmongManyUndoesNoneOfTheOthers() throws Exception {
        JobRecord stored = newJob(instance);
        assertThat(store.accept(stored)).isTrue();
        // queued all at once, so they share transactions: duplicates of the stored job fail among new jobs
        List<JobRecord> fresh = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Boolean>> freshAccepts = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Boolean>> duplicates = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            JobRecord job = newJob(instance);
            fresh.add(job);
            freshAccepts.add(store.acceptAsync(job));
            if (i % 10 == 0) {
                duplicates.add(store.acceptAsync(stored));
            }
        }

        for (var accepted : freshAccepts) {
            assertThat(accepted.get()).isTrue();
        }
        for (var duplicate : duplicates) {
            assertThat(duplicate.get()).as("a duplicate of a stored job").isFalse();
        }
        for (JobRecord job : fresh) {
            assertThat(store.find(job.requestId())).as("job %s", job.requestId()).isPresent();
        }
        assertThat(store.unfinished(instance)).hasSize(301);
    }

    @Test
    void itAnswersWhenReachable() {
        assertThat(store.isReachable()).isTrue();
        assertThat(store.describe()).doesNotContain("secret");
    }
}
