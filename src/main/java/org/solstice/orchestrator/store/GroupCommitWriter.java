package org.solstice.orchestrator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * Runs the store's writes on one thread, many to a transaction: whatever writes queue up while one commit is
 * under way go into the next, each behind a savepoint so one failing write does not undo the others. A caller
 * returns only after its write is committed, so durability is the same as one transaction per write, at a
 * fraction of the commits (the daemon's accept path and its jobs' updates otherwise serialise on them).
 */
final class GroupCommitWriter implements AutoCloseable {
    static final int MAX_BATCH = 256;

    /** One write: runs inside the shared transaction. */
    interface Write<T> {
        T run(Connection c) throws SQLException;
    }

    private record Pending<T>(Write<T> write, CompletableFuture<T> done) {
        void run(Connection c) {
            try {
                done.complete(write.run(c));
            } catch (SQLException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    private final DataSource pool;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    GroupCommitWriter(DataSource pool) {
        this.pool = pool;
        this.thread = new Thread(this::loop, "job-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code write} for the next transaction; the future completes once it is committed (or failed). */
    <T> CompletableFuture<T> submit(Write<T> write) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new SQLException("the job store is closed", "08003"));
        } else {
            queue.add(new Pending<>(write, done));
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
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            commit(batch);
            batch.clear();
        }
        Pending<?> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new SQLException("the job store is closed", "08003"));
        }
    }

    private void commit(List<Pending<?>> batch) {
        List<CompletableFuture<?>> staged = new ArrayList<>();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Pending<?> p : batch) {
                    Savepoint savepoint = batch.size() > 1 ? c.setSavepoint() : null;
                    CompletableFuture<Object> result = new CompletableFuture<>();
                    try {
                        result.complete(((Write<?>) p.write()).run(c));
                        if (savepoint != null) {
                            c.releaseSavepoint(savepoint);
                        }
                    } catch (SQLException | RuntimeException e) {
                        if (savepoint != null) {
                            c.rollback(savepoint);
                        } else {
                            c.rollback();
                        }
                        result.completeExceptionally(e);
                    }
                    staged.add(result);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: so is the transaction
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // returned to the pool broken; the pool discards it
                }
            }
        } catch (SQLException | RuntimeException e) {
            for (Pending<?> p : batch) {
                p.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), staged.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, CompletableFuture<?> staged) {
        ((CompletableFuture<T>) staged).whenComplete((value, error) -> {
            if (error != null) {
                pending.done().completeExceptionally(error);
            } else {
                pending.done().complete(value);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
