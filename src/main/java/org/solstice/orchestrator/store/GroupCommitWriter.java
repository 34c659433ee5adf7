package org.solstice.orchestrator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * Runs the store's writes on one thread, many to a transaction: whatever writes queue up while one commit is
 * under way go into the next; should one of them fail, the batch is rolled back and run again one write per
 * transaction, so one failing write does not undo the others. A caller
 * returns only after its write is committed, so durability is the same as one transaction per write, at a
 * fraction of the commits (the daemon's accept path and its jobs' updates otherwise serialise on them).
 *
 * <p>{@link #close} drains: the writes queued before it are committed (or fail) before it returns; a write
 * submitted after it fails at once, as "closed".
 */
final class GroupCommitWriter implements AutoCloseable {
    static final int MAX_BATCH = 256;

    /** One write: runs inside the shared transaction. */
    interface Write<T> {
        T run(Connection c) throws SQLException;
    }

    private record Pending<T>(Write<T> write, CompletableFuture<T> done) {
    }

    /** Put last in the queue by {@link #close}: the writer stops once everything before it is committed. */
    private static final Pending<Void> STOP = new Pending<>(c -> null, new CompletableFuture<>());
    private static final long CLOSE_WAIT_MS = 5_000;

    private final DataSource pool;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object submitLock = new Object();
    private boolean closed;

    GroupCommitWriter(DataSource pool) {
        this.pool = pool;
        this.thread = new Thread(this::loop, "job-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code write} for the next transaction; the future completes once it is committed (or failed). */
    <T> CompletableFuture<T> submit(Write<T> write) {
        CompletableFuture<T> done = new CompletableFuture<>();
        synchronized (submitLock) { // nothing is queued behind STOP
            if (closed) {
                done.completeExceptionally(closedError());
            } else {
                queue.add(new Pending<>(write, done));
            }
        }
        return done;
    }

    /** Runs {@code write} in the next transaction and returns its value once committed. */
    <T> T write(Write<T> write) throws SQLException {
        CompletableFuture<T> done = submit(write);
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the store", "08000", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new SQLException(e.getCause());
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break; // close gave up waiting for the database
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            int stop = batch.indexOf(STOP);
            if (stop >= 0) {
                stopping = true;
                batch.subList(stop, batch.size()).clear();
            }
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
        }
        Pending<?> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(closedError());
        }
    }

    private static SQLException closedError() {
        return new SQLException("the job store is closed", "08003");
    }

    private void commit(List<Pending<?>> batch) {
        if (batch.size() > 1) {
            try {
                List<Object> values = together(batch);
                if (values != null) {
                    for (int i = 0; i < batch.size(); i++) {
                        complete(batch.get(i), values.get(i));
                    }
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                for (Pending<?> p : batch) {
                    p.done().completeExceptionally(e);
                }
                return;
            }
        }
        for (Pending<?> p : batch) {
            alone(p);
        }
    }

    /**
     * Runs the whole batch in one transaction. One write failing (a duplicate request, say) rolls it all back and
     * returns null, so the batch is run again one write per transaction and only that write fails: savepoints
     * per write would do the same, but cost a statement each (PostgreSQL: a round trip) on every batch.
     *
     * @throws SQLException when the database itself fails (connection lost, commit refused): every write fails
     */
    private List<Object> together(List<Pending<?>> batch) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Object> values = new ArrayList<>(batch.size());
                for (Pending<?> p : batch) {
                    try {
                        values.add(p.write().run(c));
                    } catch (SQLException e) {
                        if (isConnectionFailure(e)) {
                            throw e;
                        }
                        c.rollback();
                        return null;
                    } catch (RuntimeException e) {
                        c.rollback();
                        return null;
                    }
                }
                c.commit();
                return values;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        }
    }

    /** Runs one write in a transaction of its own. */
    private <T> void alone(Pending<T> p) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T value = p.write().run(c);
                c.commit();
                p.done().complete(value);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                p.done().completeExceptionally(e);
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException | RuntimeException e) {
            p.done().completeExceptionally(e);
        }
    }

    private static boolean isConnectionFailure(SQLException e) {
        return e.getSQLState() == null || e.getSQLState().startsWith("08");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: so is the transaction
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // returned to the pool broken; the pool discards it
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object value) {
        pending.done().complete((T) value);
    }

    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(CLOSE_WAIT_MS);
            if (thread.isAlive()) { // the database does not answer: fail what is left rather than wait for ever
                thread.interrupt();
                thread.join(CLOSE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
