package org.solstice.orchestrator.images;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue between two threads of one pipeline, handing items over in order. Waiting on it ends when the
 * pipeline has failed: every wait checks the failure at least every 100 ms, so a thread blocked on a full or an
 * empty handoff gets the failure of another thread instead of hanging.
 */
final class Handoff<T> {
    /** Throws the pipeline's failure, if there is one. */
    interface FailureCheck {
        void check() throws IOException;
    }

    private static final long CHECK_EVERY_MS = 100;

    private final BlockingQueue<T> queue;
    private final FailureCheck failure;

    Handoff(int capacity, FailureCheck failure) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.failure = failure;
    }

    /** Adds an item, waiting while the handoff is full. */
    void put(T item) throws IOException {
        try {
            while (!queue.offer(item, CHECK_EVERY_MS, TimeUnit.MILLISECONDS)) {
                failure.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing over image data");
        }
    }

    /** Removes the oldest item, waiting while the handoff is empty. */
    T take() throws IOException {
        try {
            while (true) {
                failure.check();
                T item = queue.poll(CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for image data");
        }
    }
}
