package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HandoffTest {
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final Handoff<Integer> handoff = new Handoff<>(2, () -> {
        if (failure.get() != null) {
            throw failure.get();
        }
    });

    @Test
    void itemsComeOutInTheOrderTheyWentIn_acrossThreads() throws Exception {
        List<Integer> received = new ArrayList<>();
        Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < 1000; i++) {
                    received.add(handoff.take());
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        consumer.start();
        for (int i = 0; i < 1000; i++) {
            handoff.put(i); // mostly waits: the capacity is 2
        }
        consumer.join();

        assertThat(received).hasSize(1000).isSorted();
    }

    @Test
    void aWaitOnAFullHandoff_endsWithTheFailureOfAnotherThread() throws Exception {
        handoff.put(1);
        handoff.put(2);
        failLater(new IOException("disk full"));

        assertThatThrownBy(() -> handoff.put(3)).isInstanceOf(IOException.class).hasMessage("disk full");
    }

    @Test
    void aWaitOnAnEmptyHandoff_endsWithTheFailureOfAnotherThread() {
        failLater(new IOException("disk full"));

        assertThatThrownBy(handoff::take).isInstanceOf(IOException.class).hasMessage("disk full");
    }

    @Test
    void anInterruptedWait_isAnInterruptedIoException_andKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(handoff::take).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    /** Sets the failure once this (the test's) thread waits in the handoff, so the failure must wake it. */
    private void failLater(IOException e) {
        Thread waiter = Thread.currentThread();
        Thread thread = new Thread(() -> {
            await("the test thread to wait in the handoff").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> waiter.getState() == Thread.State.WAITING
                            || waiter.getState() == Thread.State.TIMED_WAITING);
            failure.set(e);
        });
        thread.start();
    }
}
