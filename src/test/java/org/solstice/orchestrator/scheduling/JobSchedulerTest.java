package org.solstice.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {
    private JobScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    record Job(String label, Runnable body) implements JobScheduler.ScheduledJob {
        @Override
        public void run() {
            body.run();
        }
    }

    /** Counts jobs in flight, globally and per label, and remembers the highest counts seen. */
    static final class Observer {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, AtomicInteger> perLabel = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> maxPerLabel = new ConcurrentHashMap<>();

        void enter(String label) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            int n = perLabel.computeIfAbsent(label, l -> new AtomicInteger()).incrementAndGet();
            maxPerLabel.computeIfAbsent(label, l -> new AtomicInteger()).accumulateAndGet(n, Math::max);
        }

        void leave(String label) {
            perLabel.get(label).decrementAndGet();
            inFlight.decrementAndGet();
        }
    }

    @Test
    void thousandsOfJobsNeverExceedTheGlobalLimitOrALabelsCapacity() throws Exception {
        Map<String, Integer> capacities = Map.of("a", 2, "b", 3, "c", 1);
        scheduler = new JobScheduler(5, l -> capacities.getOrDefault(l, Integer.MAX_VALUE));
        Observer observer = new Observer();
        int jobs = 4000;
        CountDownLatch done = new CountDownLatch(jobs);
        AtomicInteger failures = new AtomicInteger();
        Random random = new Random(42);
        List<String> labels = List.of("a", "b", "c", "d");

        for (int i = 0; i < jobs; i++) {
            String label = labels.get(random.nextInt(labels.size()));
            int micros = random.nextInt(300);
            int kind = random.nextInt(10);
            scheduler.submit(new Job(label, () -> {
                observer.enter(label);
                try {
                    busy(micros);
                    if (kind == 0) {
                        failures.incrementAndGet();
                        throw new IllegalStateException("job failure");
                    }
                    if (kind == 1) {
                        throw new AssertionError("an Error escapes too");
                    }
                } finally {
                    observer.leave(label);
                    done.countDown();
                }
            }));
        }

        assertThat(done.await(2, TimeUnit.MINUTES)).as("all jobs ran").isTrue();
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(observer.maxInFlight.get()).isLessThanOrEqualTo(5).isGreaterThanOrEqualTo(3);
        assertThat(observer.maxPerLabel.get("a").get()).isLessThanOrEqualTo(2);
        assertThat(observer.maxPerLabel.get("b").get()).isLessThanOrEqualTo(3);
        assertThat(observer.maxPerLabel.get("c").get()).isEqualTo(1);
        assertThat(failures.get()).isPositive();
        assertThat(scheduler.running()).as("every permit came back").isZero();
        assertThat(scheduler.waiting()).isZero();
        for (String label : labels) {
            assertThat(scheduler.running(label)).isZero();
        }
    }

    @Test
    void aLabelAtCapacityDoesNotHoldBackOtherLabels() throws Exception {
        scheduler = new JobScheduler(4, l -> l.equals("busy") ? 1 : Integer.MAX_VALUE);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busyStarted = new CountDownLatch(1);
        AtomicInteger busyRuns = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            scheduler.submit(new Job("busy", () -> {
                busyRuns.incrementAndGet();
                busyStarted.countDown();
                await(release);
            }));
        }
        assertThat(busyStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CountDownLatch otherRan = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            scheduler.submit(new Job("other", otherRan::countDown));
        }

        assertThat(otherRan.await(5, TimeUnit.SECONDS)).as("jobs of another label start past the queued busy ones")
                .isTrue();
        assertThat(busyRuns.get()).isEqualTo(1);
        assertThat(scheduler.waiting()).isEqualTo(4);
        release.countDown();
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(busyRuns.get()).isEqualTo(5);
    }

    @Test
    void jobsOfOneLabelStartInArrivalOrder() throws Exception {
        scheduler = new JobScheduler(1, l -> Integer.MAX_VALUE);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        scheduler.submit(new Job("x", () -> await(gate)));
        for (int i = 0; i < 50; i++) {
            int n = i;
            scheduler.submit(new Job(i % 2 == 0 ? "x" : "y", () -> order.add(n)));
        }
        gate.countDown();
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(5))).isTrue();

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertThat(order).isEqualTo(expected);
    }

    @Test
    void stopStartingHandsBackWaitingJobsAndLetsRunningOnesFinish() throws Exception {
        scheduler = new JobScheduler(1, l -> Integer.MAX_VALUE);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        scheduler.submit(new Job("x", () -> {
            await(release);
            ran.incrementAndGet();
        }));
        Job second = new Job("x", ran::incrementAndGet);
        Job third = new Job("y", ran::incrementAndGet);
        scheduler.submit(second);
        scheduler.submit(third);

        List<JobScheduler.ScheduledJob> handedBack = scheduler.stopStarting();
        release.countDown();

        assertThat(handedBack).containsExactly(second, third);
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(ran.get()).isEqualTo(1);
    }

    @Test
    void theAdmissionGateBoundsHeldJobsAndReleasesWaitersOnClose() throws Exception {
        AdmissionGate gate = new AdmissionGate(2);
        assertThat(gate.enter()).isTrue();
        assertThat(gate.enter()).isTrue();
        CountDownLatch entered = new CountDownLatch(1);
        boolean[] result = new boolean[1];
        Thread waiter = new Thread(() -> {
            try {
                result[0] = gate.enter();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            entered.countDown();
        });
        waiter.start();
        assertThat(entered.await(300, TimeUnit.MILLISECONDS)).as("third entry waits").isFalse();

        gate.leave();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(result[0]).isTrue();
        assertThat(gate.held()).isEqualTo(2);

        gate.close();
        assertThat(gate.enter()).as("closed gate refuses").isFalse();
    }

    @Test
    void hasRoomForSaysWhetherAJobOfTheLabelWouldStartAtOnce() throws Exception {
        scheduler = new JobScheduler(2, l -> l.equals("one") ? 1 : Integer.MAX_VALUE);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        assertThat(scheduler.hasRoomFor("one")).isTrue();

        scheduler.submit(new Job("one", () -> {
            started.countDown();
            await(release);
        }));
        assertThat(scheduler.hasRoomFor("one")).as("label at its capacity").isFalse();
        assertThat(scheduler.hasRoomFor("two")).isTrue();
        scheduler.submit(new Job("one", () -> await(release)));
        scheduler.submit(new Job("two", () -> {
            started.countDown();
            await(release);
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.hasRoomFor("two")).as("global limit reached").isFalse();
        assertThat(scheduler.hasRoomFor("three")).as("global limit reached").isFalse();

        release.countDown();
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(scheduler.hasRoomFor("one")).isTrue();
        scheduler.stopStarting();
        assertThat(scheduler.hasRoomFor("one")).as("shutting down").isFalse();
    }

    @Test
    void theGateTakesAJobWithoutWaitingOnlyWhenNothingIsHeld() throws Exception {
        AdmissionGate gate = new AdmissionGate(3);
        assertThat(gate.tryEnterIfIdle()).isTrue();
        assertThat(gate.tryEnterIfIdle()).as("one held already").isFalse();
        assertThat(gate.enter()).isTrue();
        assertThat(gate.held()).isEqualTo(2);
        gate.leave();
        gate.leave();
        assertThat(gate.tryEnterIfIdle()).isTrue();
        gate.leave();
        gate.close();
        assertThat(gate.tryEnterIfIdle()).as("closed").isFalse();
        assertThat(gate.held()).isZero();
    }

    private static void busy(int micros) {
        long end = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
