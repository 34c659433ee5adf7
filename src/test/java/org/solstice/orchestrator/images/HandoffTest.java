package org.solstice.orchestrator.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
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

    private void failLater(IOException e) {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException ignored) {
                return;
            }
            failure.set(e);
        });
        thread.start();
    }
}
