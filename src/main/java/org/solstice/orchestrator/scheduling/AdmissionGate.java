package org.solstice.orchestrator.scheduling;

/**
 * Bounds the jobs the daemon holds accepted but not yet started, so the backlog stays in the broker, where
 * another host can take it. The consumer takes a slot before accepting a message; the slot is given back when
 * the job starts (or ends without starting).
 */
public class AdmissionGate {
    private final int limit;
    private int held;
    private boolean closed;

    public AdmissionGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the pending-job limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Blocks until a slot is free.
     *
     * @return true with a slot taken; false when the gate was closed (shutting down): no slot is taken
     */
    public synchronized boolean enter() throws InterruptedException {
        while (!closed && held >= limit) {
            wait();
        }
        if (closed) {
            return false;
        }
        held++;
        return true;
    }

    /**
     * Takes a slot only when none is held (nothing accepted is waiting to start) and the gate is open; never
     * waits.
     */
    public synchronized boolean tryEnterIfIdle() {
        if (closed || held > 0) {
            return false;
        }
        held++;
        return true;
    }

    public synchronized void leave() {
        if (held <= 0) {
            throw new IllegalStateException("leave() without enter()");
        }
        held--;
        notifyAll();
    }

    /** Wakes every waiter with false and refuses new entries. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized int held() {
        return held;
    }

    public int limit() {
        return limit;
    }
}
