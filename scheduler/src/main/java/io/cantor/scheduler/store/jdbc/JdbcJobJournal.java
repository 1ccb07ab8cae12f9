package io.cantor.scheduler.store.jdbc;

import io.cantor.model.Job;
import io.cantor.model.JobState;
import io.cantor.model.json.Json;
import io.cantor.scheduler.store.JobJournal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link JobJournal} on JDBC: one row per job, the value as JSON plus the columns that queries need. */
public final class JdbcJobJournal implements JobJournal {
    private static final String COLUMNS = "id, tenant, state, version, created_at, updated_at, lease_expires_at, body";

    private final Database db;
    private final String upsert;

    public JdbcJobJournal(Database db) {
        this.db = db;
        this.upsert = switch (db.dialect()) {
            case H2 -> "MERGE INTO jobs t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                    + "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR))) "
                    + "AS s(" + COLUMNS + ") ON t.id = s.id "
                    + "WHEN MATCHED AND t.version <= s.version THEN UPDATE SET tenant = s.tenant, state = s.state, "
                    + "version = s.version, created_at = s.created_at, updated_at = s.updated_at, "
                    + "lease_expires_at = s.lease_expires_at, body = s.body "
                    + "WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.id, s.tenant, s.state, s.version, "
                    + "s.created_at, s.updated_at, s.lease_expires_at, s.body)";
            case POSTGRESQL -> "INSERT INTO jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET tenant = EXCLUDED.tenant, state = EXCLUDED.state, "
                    + "version = EXCLUDED.version, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, "
                    + "lease_expires_at = EXCLUDED.lease_expires_at, body = EXCLUDED.body "
                    // a member that died mid-write may commit after the partition's new owner has
                    // written a later version: the journal keeps the later one
                    + "WHERE jobs.version <= EXCLUDED.version";
        };
    }

    @Override
    public void record(Job job) {
        recordAll(List.of(job));
    }

    @Override
    public void recordAll(Collection<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(upsert)) {
            for (Job job : jobs) {
                ps.setString(1, job.id());
                ps.setString(2, job.tenant());
                ps.setString(3, job.state().name());
                ps.setLong(4, job.version());
                ps.setLong(5, job.createdAt().toEpochMilli());
                ps.setLong(6, job.updatedAt().toEpochMilli());
                if (job.state().holdsLease() && job.lease() != null) {
                    ps.setLong(7, job.lease().expiresAt().toEpochMilli());
                } else {
                    ps.setNull(7, Types.BIGINT);
                }
                ps.setString(8, Json.write(job));
                if (jobs.size() == 1) {
                    ps.executeUpdate();
                } else {
                    ps.addBatch();
                }
            }
            if (jobs.size() > 1) {
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw new JournalException("cannot record " + jobs.size() + " job(s)", e);
        }
    }

    @Override
    public void erase(String jobId) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
            ps.setString(1, jobId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalException("cannot erase job " + jobId, e);
        }
    }

    @Override
    public Optional<Job> load(String jobId) {
        return Optional.ofNullable(loadAll(List.of(jobId)).get(jobId));
    }

    @Override
    public Map<String, Job> loadAll(Collection<String> jobIds) {
        Map<String, Job> found = new HashMap<>();
        List<String> ids = new ArrayList<>(jobIds);
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String sql = "SELECT body FROM jobs WHERE id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                for (Job job : readJobs(ps)) {
                    found.put(job.id(), job);
                }
            } catch (SQLException e) {
                throw new JournalException("cannot load jobs", e);
            }
        }
        return found;
    }

    @Override
    public List<String> unfinishedJobIds() {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE state IN ('QUEUED', 'ASSIGNED', 'RUNNING')")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot list unfinished jobs", e);
        }
        return ids;
    }

    @Override
    public List<Job> queuedJobs() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT body FROM jobs WHERE state = 'QUEUED' ORDER BY id")) {
            return readJobs(ps);
        } catch (SQLException e) {
            throw new JournalException("cannot list queued jobs", e);
        }
    }

    @Override
    public List<String> expiredLeases(Instant now, int limit) {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE state IN ('ASSIGNED', 'RUNNING') "
                     + "AND lease_expires_at <= ? ORDER BY lease_expires_at")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot find expired leases", e);
        }
        return ids;
    }

    @Override
    public Map<String, Long> versionsChangedSince(Instant from, int limit) {
        Map<String, Long> versions = new LinkedHashMap<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, version FROM jobs WHERE updated_at >= ? ORDER BY updated_at")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot find recently changed jobs", e);
        }
        return versions;
    }

    @Override
    public List<String> finishedBetween(Instant from, Instant to, int limit) {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE state IN "
                + "('SUCCEEDED', 'FAILED', 'CANCELLED') AND updated_at >= ? AND updated_at < ? ORDER BY updated_at")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot find finished jobs", e);
        }
        return ids;
    }

    @Override
    public List<Job> page(String tenant, JobState state, String after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT body FROM jobs WHERE tenant = ?");
        if (state != null) {
            sql.append(" AND state = ?");
        }
        if (after != null) {
            sql.append(" AND id < ?");
        }
        sql.append(" ORDER BY id DESC");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, tenant);
            if (state != null) {
                ps.setString(i++, state.name());
            }
            if (after != null) {
                ps.setString(i, after);
            }
            ps.setMaxRows(limit);
            return readJobs(ps);
        } catch (SQLException e) {
            throw new JournalException("cannot list jobs of tenant " + tenant, e);
        }
    }

    @Override
    public Map<String, Map<JobState, Long>> countByTenantAndState() {
        Map<String, Map<JobState, Long>> counts = new TreeMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT tenant, state, COUNT(*) FROM jobs GROUP BY tenant, state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), t -> new EnumMap<>(JobState.class))
                        .put(JobState.valueOf(rs.getString(2)), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new JournalException("cannot count jobs", e);
        }
        return counts;
    }

    private static List<Job> readJobs(PreparedStatement ps) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    jobs.add(Json.read(rs.getString(1), Job.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("a journal row does not parse as a job", e);
                }
            }
        }
        return jobs;
    }
}
