package org.solstice.orchestrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.messaging.JobIntake;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.RequestHandBack;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.store.InMemoryJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;

/**
 * Acceptance with fakes in place of the broker and the database: an in-memory store that obeys the store
 * contract, an image catalog whose images become ready when the test says so, runs that only record, and a
 * settlement that does with each decision what the consumer does with the delivery.
 */
class AcceptanceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String INSTANCE = "host-a";

    private final ImageMap images = new ImageMap(Path.of("images.yaml"), "ubuntu", Map.of("linux", "ubuntu"),
            Map.of(), Map.of("ubuntu", image("ubuntu"), "illumos", image("illumos")));
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final FakeCatalog catalog = new FakeCatalog();
    private final FakeRuns runs = new FakeRuns();
    private final FakeBroker broker = new FakeBroker();
    private final JobScheduler scheduler = new JobScheduler(4, image -> 4);
    private final ExecutorService background = Executors.newCachedThreadPool();
    private Acceptance acceptance = acceptance(2);

    @AfterEach
    void tearDown() {
        runs.release.countDown();
        scheduler.close();
        background.shutdownNow();
    }

    @Test
    void aDuplicateIsAcknowledgedAndNotRun() throws Exception {
        catalog.ready("ubuntu");
        JobRequest request = aJob().runsOn("ubuntu").build();
        runs.release = new CountDownLatch(1);

        expect(settle(offer(request, "ubuntu")), "acknowledged");
        await("the job to start").atMost(DEADLINE).until(() -> runs.ran.contains(request.requestId()));

        Settlement whileRunning = settle(offer(request, "ubuntu"));
        await("the duplicate delivered while the job runs to be settled").atMost(DEADLINE)
                .until(() -> !whileRunning.is("pending"));
        assertThat(whileRunning.state.get()).isEqualTo("acknowledged");

        runs.release.countDown();
        await("the job to finish").atMost(DEADLINE)
                .until(() -> store.find(request.requestId()).orElseThrow().state() == JobState.FINISHED);
        Settlement afterItEnded = settle(offer(request, "ubuntu"));
        await("the duplicate delivered after the job ended to be settled").atMost(DEADLINE)
                .until(() -> !afterItEnded.is("pending"));
        assertThat(afterItEnded.state.get()).isEqualTo("acknowledged");

        assertThat(runs.ran).as("runs of the request").containsExactly(request.requestId());
    }

    @Test
    void aFullGateHoldsOnlyItsOwnLabel() throws Exception {
        acceptance = acceptance(1);
        catalog.ready("illumos"); // ubuntu's image is still being prepared: its accepted job waits, holding the gate
        JobRequest first = aJob().runsOn("ubuntu").build();
        JobRequest second = aJob().runsOn("linux").build(); // an alias of ubuntu: the same image, the same gate
        JobRequest other = aJob().runsOn("illumos").build();

        expect(settle(offer(first, "ubuntu")), "acknowledged");
        CompletableFuture<Settlement> blocked = CompletableFuture.supplyAsync(() -> settle(offer(second, "linux")),
                background);
        Settlement otherLabel = settle(offer(other, "illumos"));

        await("the other label's job to be acknowledged and run").atMost(DEADLINE)
                .until(() -> otherLabel.is("acknowledged") && runs.ran.contains(other.requestId()));
        assertThat(blocked).as("the delivery of the full label still waits at its gate").isNotDone();
        assertThat(store.find(second.requestId())).as("nothing stored for it").isEmpty();

        catalog.ready("ubuntu");
        await("the waiting delivery to pass the gate once the first job started").atMost(DEADLINE)
                .until(() -> blocked.isDone() && blocked.get().is("acknowledged"));
        await("both jobs of the label to run").atMost(DEADLINE)
                .until(() -> runs.ran.containsAll(List.of(first.requestId(), second.requestId())));
    }

    @Test
    void theStoreAwayStopsAcceptanceWithoutLosingTheDelivery() throws Exception {
        catalog.ready("ubuntu");
        store.away(true);
        JobRequest request = aJob().runsOn("ubuntu").build();

        Settlement settlement = settle(offer(request, "ubuntu"));

        await("the delivery to stay unsettled while the store is away").atMost(DEADLINE)
                .during(Duration.ofMillis(800)).until(() -> settlement.is("pending"));
        assertThat(runs.ran).isEmpty();

        store.away(false);
        await("the job to be acknowledged once it is stored").atMost(DEADLINE)
                .until(() -> settlement.is("acknowledged"));
        await("the job to run").atMost(DEADLINE).until(() -> runs.ran.contains(request.requestId()));
    }

    @Test
    void theStoreAwayUntilShutdownHandsTheDeliveryBackToTheBroker() throws Exception {
        catalog.ready("ubuntu");
        store.away(true);
        JobRequest request = aJob().runsOn("ubuntu").build();
        Settlement settlement = settle(offer(request, "ubuntu"));
        await("the delivery to wait for the store").atMost(DEADLINE).during(Duration.ofMillis(300))
                .until(() -> settlement.is("pending"));

        acceptance.stopAndHandBack();

        await("the delivery to go back to the broker (not acknowledged, not dead-lettered)").atMost(DEADLINE)
                .until(() -> settlement.is("handed back"));
        assertThat(runs.ran).isEmpty();
    }

    @Test
    void shutdownHandsUnstartedJobsBack() throws Exception {
        JobRequest older = aJob().runsOn("ubuntu").build();
        JobRequest newer = aJob().runsOn("linux").build();
        byte[] olderBody = JobMessageCodec.encodeRequest(older);
        expect(settle(acceptance.intake().offer(older, olderBody, "ubuntu")), "acknowledged");
        expect(settle(offer(newer, "linux")), "acknowledged");
        assertThat(acceptance.notStartedCount()).isEqualTo(2);

        acceptance.stopAndHandBack();

        assertThat(broker.handedBack).extracting(HandedBack::requestId)
                .as("oldest first").containsExactly(older.requestId(), newer.requestId());
        assertThat(broker.handedBack).extracting(HandedBack::label).containsExactly("ubuntu", "linux");
        assertThat(broker.handedBack.get(0).body()).as("the body unchanged").isEqualTo(olderBody);
        assertThat(store.find(older.requestId())).as("forgotten here").isEmpty();
        assertThat(store.find(newer.requestId())).as("forgotten here").isEmpty();
        assertThat(acceptance.notStartedCount()).isZero();

        catalog.ready("ubuntu");
        expect(settle(offer(aJob().runsOn("ubuntu").build(), "ubuntu")), "handed back");
        await("nothing to run after the image became ready").atMost(DEADLINE).during(Duration.ofMillis(300))
                .until(runs.ran::isEmpty);
    }

    @Test
    void aJobTheBrokerDoesNotTakeBackStaysInTheStoreForTheNextStart() throws Exception {
        broker.refuse = true;
        JobRequest request = aJob().runsOn("ubuntu").build();
        expect(settle(offer(request, "ubuntu")), "acknowledged");

        acceptance.stopAndHandBack();

        assertThat(broker.handedBack).isEmpty();
        JobRecord kept = store.find(request.requestId()).orElseThrow();
        assertThat(kept.state()).as("to be resumed by the next start").isEqualTo(JobState.ACCEPTED);
        assertThat(kept.instanceId()).isEqualTo(INSTANCE);
    }

    @Test
    void aLabelNotServedHereIsDeadLettered() throws Exception {
        expect(settle(offer(aJob().runsOn("windows").build(), "windows")), "dead-lettered");
    }

    @Test
    void aJobResumedFromTheStoreRunsWithoutTakingABacklogSlot() throws Exception {
        acceptance = acceptance(1);
        catalog.ready("ubuntu");
        JobRequest resumed = aJob().runsOn("ubuntu").build();
        store.accept(new JobRecord(resumed.requestId(), INSTANCE, "ubuntu", "ubuntu", "{}", JobState.ACCEPTED, 0,
                Instant.now(), null, null, null, null, false));

        acceptance.recoverer().resume(new AcceptedJob(resumed, "ubuntu", images.images().get("ubuntu"),
                JobMessageCodec.encodeRequest(resumed), System.nanoTime()));
        await("the resumed job to run").atMost(DEADLINE).until(() -> runs.ran.contains(resumed.requestId()));

        JobRequest next = aJob().runsOn("ubuntu").build();
        Settlement settlement = settle(offer(next, "ubuntu"));
        await("a new delivery to find the gate free").atMost(DEADLINE).until(() -> settlement.is("acknowledged"));
    }

    private static void expect(Settlement settlement, String state) {
        await("the delivery to be " + state).atMost(DEADLINE).until(() -> !settlement.is("pending"));
        assertThat(settlement.state.get()).isEqualTo(state);
    }

    private Acceptance acceptance(int maxPendingPerImage) {
        return new Acceptance(images, catalog, maxPendingPerImage, scheduler, runs, JobListener.NONE, background,
                store, INSTANCE, broker);
    }

    private CompletionStage<JobIntake.Decision> offer(JobRequest request, String label) {
        try {
            return acceptance.intake().offer(request, JobMessageCodec.encodeRequest(request), label);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the consumer does with the delivery once the intake decided, as a state the test can read. */
    private static Settlement settle(CompletionStage<JobIntake.Decision> decision) {
        Settlement settlement = new Settlement();
        decision.whenComplete((d, error) -> settlement.state.set(error != null ? "handed back"
                : d instanceof JobIntake.Accepted ? "acknowledged"
                : d instanceof JobIntake.Rejected ? "dead-lettered" : "handed back"));
        return settlement;
    }

    private static final class Settlement {
        final AtomicReference<String> state = new AtomicReference<>("pending");

        boolean is(String expected) {
            return expected.equals(state.get());
        }
    }

    private static ImageDefinition image(String name) {
        return anImage().named(name).from(null).at(Path.of("/images/" + name + ".qcow2")).build();
    }

    /** Images become ready when the test says so. */
    private static final class FakeCatalog implements ImageCatalog {
        private final Map<String, CompletableFuture<Path>> images = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<Path> whenReady(ImageDefinition image) {
            return images.computeIfAbsent(image.name(), n -> new CompletableFuture<>());
        }

        void ready(String name) {
            images.computeIfAbsent(name, n -> new CompletableFuture<>()).complete(Path.of("/images/" + name));
        }
    }

    /** Records which jobs ran and ends them in the store the way the job runner's journal does. */
    private final class FakeRuns implements JobRuns {
        final List<UUID> ran = new CopyOnWriteArrayList<>();
        volatile CountDownLatch release = new CountDownLatch(0);

        @Override
        public void run(AcceptedJob job, Path imagePath) {
            ran.add(job.id());
            try {
                release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.finish(job.id(), JobOutcome.SUCCESS.name(), "{}");
        }

        @Override
        public void adopt(AcceptedJob job, VmHandle vm, Instant startedAt) {
            ran.add(job.id());
        }

        @Override
        public void finishWithoutRunning(AcceptedJob job, JobOutcome outcome, String summary) {
            store.finish(job.id(), outcome.name(), "{}");
        }
    }

    private record HandedBack(String label, UUID requestId, byte[] body) {
    }

    /** Takes handed-back requests as the broker does when it confirms them. */
    private static final class FakeBroker implements RequestHandBack {
        final List<HandedBack> handedBack = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        @Override
        public String handBack(String label, UUID requestId, byte[] body) {
            if (refuse) {
                throw new OrchestratorException("no confirm for request " + requestId + " within 30 s");
            }
            handedBack.add(new HandedBack(label, requestId, body));
            return "label queue of " + label;
        }
    }
}
