package org.solstice.orchestrator.scheduling;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts jobs under a global concurrency limit and per-label capacities.
 *
 * <p>Waiting jobs sit in one FIFO queue per label. Whenever a slot frees, the oldest waiting job among the
 * labels that still have room starts: a label at its capacity never holds back jobs of other labels (no
 * head-of-line blocking), and within a label jobs start in arrival order. Permits come back when the job's
 * task returns, whatever way it returns.
 */
public class JobScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    private final int maxConcurrency;
    private final ToIntFunction<String> capacityOfLabel;
    private final ExecutorService workers;

    private final Object lock = new Object();
    private final Map<String, ArrayDeque<Waiting>> waitingByLabel = new HashMap<>();
    private final Map<String, Integer> runningByLabel = new HashMap<>();
    private long sequence;
    private int running;
    private int waiting;
    private boolean starting = true;

    /**
     * @param capacityOfLabel a label's capacity; {@link Integer#MAX_VALUE} for labels without one
     */
    public JobScheduler(int maxConcurrency, ToIntFunction<String> capacityOfLabel) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max concurrency must be at least 1, was " + maxConcurrency);
        }
        this.maxConcurrency = maxConcurrency;
        this.capacityOfLabel = capacityOfLabel;
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "job-worker-" + threadNumber.incrementAndGet());
                    t.setDaemon(false);
                    return t;
                });
    }

    /** A job the scheduler can start. */
    public interface ScheduledJob extends Runnable {
        /** The label whose capacity the job counts against (the resolved image name). */
        String label();
    }

    /** Queues a job; it starts as soon as the global limit and its label's capacity allow. */
    public void submit(ScheduledJob job) {
        synchronized (lock) {
            if (!starting) {
                throw new IllegalStateException("the scheduler is shutting down and starts no new jobs");
            }
            waitingByLabel.computeIfAbsent(job.label(), l -> new ArrayDeque<>()).addLast(new Waiting(job, sequence++));
            waiting++;
            dispatch();
        }
    }

    private void dispatch() {
        while (starting && running < maxConcurrency) {
            ArrayDeque<Waiting> best = null;
            String bestLabel = null;
            for (Map.Entry<String, ArrayDeque<Waiting>> e : waitingByLabel.entrySet()) {
                ArrayDeque<Waiting> queue = e.getValue();
                if (queue.isEmpty() || runningByLabel.getOrDefault(e.getKey(), 0) >= capacity(e.getKey())) {
                    continue;
                }
                if (best == null || queue.peekFirst().sequence < best.peekFirst().sequence) {
                    best = queue;
                    bestLabel = e.getKey();
                }
            }
            if (best == null) {
                return;
            }
            Waiting next = best.pollFirst();
            if (best.isEmpty()) {
                waitingByLabel.remove(bestLabel);
            }
            waiting--;
            running++;
            runningByLabel.merge(bestLabel, 1, Integer::sum);
            String label = bestLabel;
            workers.execute(() -> runAndRelease(next.job, label));
        }
    }

    private void runAndRelease(ScheduledJob job, String label) {
        try {
            job.run();
        } catch (RuntimeException | Error e) {
            log.error("job task for label {} failed unexpectedly", label, e);
        } finally {
            synchronized (lock) {
                running--;
                runningByLabel.merge(label, -1, Integer::sum);
                if (runningByLabel.get(label) == 0) {
                    runningByLabel.remove(label);
                }
                dispatch();
                lock.notifyAll();
            }
        }
    }

    private int capacity(String label) {
        return capacityOfLabel.applyAsInt(label);
    }

    public int running() {
        synchronized (lock) {
            return running;
        }
    }

    public int running(String label) {
        synchronized (lock) {
            return runningByLabel.getOrDefault(label, 0);
        }
    }

    public int waiting() {
        synchronized (lock) {
            return waiting;
        }
    }

    /** Jobs of one label (image name) waiting for a slot. */
    public int waiting(String label) {
        synchronized (lock) {
            ArrayDeque<Waiting> queue = waitingByLabel.get(label);
            return queue == null ? 0 : queue.size();
        }
    }

    /**
     * Whether a job of {@code label} submitted now would start at once: a slot is free under the global limit and
     * the label's capacity, and no job of the label is waiting.
     */
    public boolean hasRoomFor(String label) {
        synchronized (lock) {
            return starting && running < maxConcurrency
                    && runningByLabel.getOrDefault(label, 0) < capacity(label)
                    && (waitingByLabel.get(label) == null || waitingByLabel.get(label).isEmpty());
        }
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** Stops starting jobs and hands back those still waiting, oldest first. Running jobs go on. */
    public List<ScheduledJob> stopStarting() {
        synchronized (lock) {
            starting = false;
            List<Waiting> all = new ArrayList<>();
            waitingByLabel.values().forEach(all::addAll);
            waitingByLabel.clear();
            waiting = 0;
            all.sort((a, b) -> Long.compare(a.sequence, b.sequence));
            return all.stream().map(w -> w.job).toList();
        }
    }

    /** Waits until no job runs. @return true when idle, false when the timeout passed first */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            starting = false;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private record Waiting(ScheduledJob job, long sequence) {
    }
}
