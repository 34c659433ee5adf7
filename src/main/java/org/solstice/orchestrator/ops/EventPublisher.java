package org.solstice.orchestrator.ops;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;

/**
 * Best-effort publishing of status and log events to the result exchange: with confirms, on a channel of its
 * own, from one thread of its own (so events keep their order and a job never waits on the broker). When the
 * broker is away or the queue is full, events are dropped and logged; the job and its result are not affected.
 */
public class EventPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final int QUEUE = 2_000;

    private final ConfirmingPublisher publisher;
    private final String exchange;
    private final ThreadPoolExecutor thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();

    public EventPublisher(ConfirmingPublisher publisher, String exchange) {
        this.publisher = publisher;
        this.exchange = exchange;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "event-publisher");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> drop("the event queue is full or closed"));
    }

    /** Queues one event; returns at once. */
    public void publish(String routingKey, String messageId, byte[] body) {
        thread.execute(() -> {
            try {
                publisher.publish(exchange, routingKey, messageId, routingKey, body).whenComplete((outcome, error) -> {
                    if (error != null) {
                        drop(error.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                drop(e.getMessage());
            }
        });
    }

    private void drop(String why) {
        long count = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if ((last == 0 || now - last > 60_000_000_000L) && lastWarning.compareAndSet(last, now)) {
            log.warn("status/log event not published: {} ({} dropped so far; at most one such warning a minute)",
                    why, count);
        }
    }

    public long dropped() {
        return dropped.get();
    }

    /** Waits briefly for queued events to be handed to the broker, then closes the channel. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
