package org.solstice.orchestrator.store;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.api.FlywayException;

/** The job store on JDBC: PostgreSQL or embedded H2, the same SQL for both. */
public class JdbcJobStore implements JobStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String JOB_COLUMNS = "request_id, instance_id, label, image, request_json, state, attempts,"
            + " accepted_at, started_at, finished_at, outcome, result_json, result_published";

    private final HikariDataSource pool;
    private final DatabaseUrl url;
    private final GroupCommitWriter writer;

    private JdbcJobStore(HikariDataSource pool, DatabaseUrl url) {
        this.pool = pool;
        this.url = url;
        this.writer = new GroupCommitWriter(pool);
    }

    /** Opens the store and brings its schema up to date. */
    public static JdbcJobStore open(DatabaseUrl url) {
        if (!url.isPostgres()) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        HikariDataSource pool = StorePool.create(url);
        JdbcJobStore store = new JdbcJobStore(pool, url);
        try {
            Migrations.apply(pool);
        } catch (SQLException e) {
            store.close();
            throw StoreFailures.of("cannot open the job store at " + url.redacted(), e);
        } catch (FlywayException e) {
            store.close();
            throw StoreFailures.migration(url, e);
        }
        return store;
    }

    @Override
    public String describe() {
        return (url.isPostgres() ? "PostgreSQL " : "embedded H2 ") + url.redacted();
    }

    @Override
    public boolean accept(JobRecord job) {
        try {
            return acceptAsync(job).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (StoreException) e.getCause();
        }
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> acceptAsync(JobRecord job) {
        return writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (" + JOB_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, job.requestId().toString());
                ps.setString(2, job.instanceId());
                ps.setString(3, job.label());
                ps.setString(4, job.image());
                ps.setString(5, job.requestJson());
                ps.setString(6, JobState.ACCEPTED.name());
                ps.setInt(7, job.attempts());
                ps.setLong(8, job.acceptedAt().toEpochMilli());
                ps.setNull(9, Types.BIGINT);
                ps.setNull(10, Types.BIGINT);
                ps.setNull(11, Types.VARCHAR);
                ps.setNull(12, Types.VARCHAR);
                ps.setBoolean(13, false);
                ps.executeUpdate();
                return true;
            }
        }).handle((stored, error) -> {
            if (error == null) {
                return stored;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return false;
            }
            if (cause instanceof SQLException sql) {
                throw StoreFailures.of("cannot store job " + job.requestId(), sql);
            }
            throw new StoreException("cannot store job " + job.requestId() + ": " + cause, cause, false);
        });
    }

    @Override
    public void provisioning(UUID requestId, VmRecord vm) {
        transaction("record the VM of job " + requestId, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM vms WHERE name = ?")) {
                del.setString(1, vm.name());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO vms (name, request_id, instance_id, backend,"
                    + " job_dir, console_log, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, vm.name());
                ins.setString(2, requestId.toString());
                ins.setString(3, vm.instanceId());
                ins.setString(4, vm.backend());
                ins.setString(5, vm.jobDir().toString());
                ins.setString(6, vm.consoleLog().toString());
                ins.setString(7, vm.state());
                ins.setLong(8, vm.createdAt().toEpochMilli());
                ins.executeUpdate();
            }
            updateJob(c, requestId, "UPDATE jobs SET state = ?, attempts = attempts + 1 WHERE request_id = ?",
                    JobState.PROVISIONING.name());
            return null;
        });
    }

    @Override
    public void running(UUID requestId) {
        transaction("mark job " + requestId + " running", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET state = ?, started_at = ? WHERE request_id = ?")) {
                ps.setString(1, JobState.RUNNING.name());
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, requestId.toString());
                requireOne(ps.executeUpdate(), requestId);
            }
            return null;
        });
    }

    @Override
    public void retry(UUID requestId) {
        transaction("retry job " + requestId, c -> {
            updateJob(c, requestId, "UPDATE jobs SET state = ?, started_at = NULL WHERE request_id = ?",
                    JobState.ACCEPTED.name());
            return null;
        });
    }

    @Override
    public void forget(UUID requestId) {
        transaction("forget job " + requestId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE request_id = ?")) {
                ps.setString(1, requestId.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void finish(UUID requestId, String outcome, String resultJson) {
        transaction("store the result of job " + requestId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = ?, finished_at = ?, outcome = ?,"
                    + " result_json = ?, result_published = ? WHERE request_id = ?")) {
                ps.setString(1, JobState.FINISHED.name());
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, outcome);
                ps.setString(4, resultJson);
                ps.setBoolean(5, false);
                ps.setString(6, requestId.toString());
                requireOne(ps.executeUpdate(), requestId);
            }
            return null;
        });
    }

    @Override
    public void resultPublished(UUID requestId) {
        transaction("mark the result of job " + requestId + " published", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET result_published = ? WHERE request_id = ?")) {
                ps.setBoolean(1, true);
                ps.setString(2, requestId.toString());
                requireOne(ps.executeUpdate(), requestId);
            }
            return null;
        });
    }

    @Override
    public void vmGone(String vmName) {
        transaction("forget VM " + vmName, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM vms WHERE name = ?")) {
                ps.setString(1, vmName);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<JobRecord> find(UUID requestId) {
        List<JobRecord> found = queryJobs("SELECT " + JOB_COLUMNS + " FROM jobs WHERE request_id = ?",
                requestId.toString());
        return found.stream().findFirst();
    }

    @Override
    public List<JobRecord> unfinished(String instanceId) {
        return queryJobs("SELECT " + JOB_COLUMNS + " FROM jobs WHERE instance_id = ? AND state <> 'FINISHED'"
                + " ORDER BY accepted_at, request_id", instanceId);
    }

    @Override
    public List<JobRecord> unpublished(String instanceId) {
        return queryJobs("SELECT " + JOB_COLUMNS + " FROM jobs WHERE instance_id = ? AND state = 'FINISHED'"
                + " AND result_published = FALSE ORDER BY finished_at, request_id", instanceId);
    }

    @Override
    public List<JobRecord> recent(int limit) {
        return queryJobs("SELECT " + JOB_COLUMNS + " FROM jobs ORDER BY accepted_at DESC, request_id LIMIT "
                + Math.max(1, Math.min(limit, 10_000)));
    }

    @Override
    public List<VmRecord> vms(String instanceId) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, request_id, instance_id, backend, job_dir,"
                     + " console_log, state, created_at FROM vms WHERE instance_id = ? ORDER BY created_at, name")) {
            ps.setString(1, instanceId);
            List<VmRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VmRecord(rs.getString(1), UUID.fromString(rs.getString(2)), rs.getString(3),
                            rs.getString(4), Path.of(rs.getString(5)), Path.of(rs.getString(6)), rs.getString(7),
                            Instant.ofEpochMilli(rs.getLong(8))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreFailures.of("cannot list VMs", e);
        }
    }

    @Override
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        writer.close();
        pool.close();
    }

    private List<JobRecord> queryJobs(String sql, String... params) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRecord(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), JobState.valueOf(rs.getString(6)), rs.getInt(7),
                            Instant.ofEpochMilli(rs.getLong(8)), instant(rs, 9), instant(rs, 10), rs.getString(11),
                            rs.getString(12), rs.getBoolean(13)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreFailures.of("cannot read jobs", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static void updateJob(Connection c, UUID id, String sql, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state);
            ps.setString(2, id.toString());
            requireOne(ps.executeUpdate(), id);
        }
    }

    private static void requireOne(int updated, UUID id) throws SQLException {
        if (updated != 1) {
            throw new SQLException("job " + id + " is not in the store", "02000");
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A write, committed (with whatever other writes are queued) before this returns. */
    private <T> T transaction(String what, Work<T> work) {
        try {
            return writer.write(work::run);
        } catch (SQLException e) {
            throw StoreFailures.of("cannot " + what, e);
        }
    }
}
