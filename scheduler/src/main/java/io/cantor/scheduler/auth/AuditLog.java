package io.cantor.scheduler.auth;

import io.cantor.scheduler.store.jdbc.Database;
import io.cantor.scheduler.store.jdbc.JournalException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** Who did what as an administrator (keys created or revoked, nodes drained or cordoned), kept in the journal. */
public final class AuditLog {
    private final Vertx vertx;
    private final Database db;
    private final InstantSource clock;

    public AuditLog(Vertx vertx, Database db, InstantSource clock) {
        this.vertx = vertx;
        this.db = db;
        this.clock = clock;
    }

    public record Entry(Instant time, String actorKey, String actorTenant, String action, String target, String detail) {
    }

    public Future<Void> record(Principal actor, String action, String target, String detail) {
        Entry entry = new Entry(clock.instant(), actor.keyId(), actor.tenant(), action, target, detail);
        return vertx.executeBlocking(() -> {
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit (at, actor_key, actor_tenant, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, entry.time().toEpochMilli());
                ps.setString(2, entry.actorKey());
                ps.setString(3, entry.actorTenant());
                ps.setString(4, entry.action());
                ps.setString(5, entry.target());
                ps.setString(6, entry.detail());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new JournalException("cannot write the audit log", e);
            }
            return null;
        });
    }

    public Future<List<Entry>> latest(int limit) {
        return vertx.executeBlocking(() -> {
            List<Entry> entries = new ArrayList<>();
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT at, actor_key, actor_tenant, action, target, detail FROM audit ORDER BY at DESC, id DESC")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6)));
                    }
                }
            } catch (SQLException e) {
                throw new JournalException("cannot read the audit log", e);
            }
            return entries;
        });
    }
}
