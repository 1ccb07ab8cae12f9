package io.cantor.scheduler.store.jdbc;

import io.cantor.model.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One collection of JSON documents in the {@code documents} table: datasets, API keys,
 * idempotency keys. Colder than jobs, so one generic table serves them all.
 */
public final class JdbcDocuments<V> {
    private final Database db;
    private final String collection;
    private final Class<V> type;
    private final String upsert;

    public JdbcDocuments(Database db, String collection, Class<V> type) {
        this.db = db;
        this.collection = collection;
        this.type = type;
        this.upsert = switch (db.dialect()) {
            case H2 -> "MERGE INTO documents (collection, id, updated_at, body) KEY (collection, id) VALUES (?, ?, ?, ?)";
            case POSTGRESQL -> "INSERT INTO documents (collection, id, updated_at, body) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (collection, id) DO UPDATE SET updated_at = EXCLUDED.updated_at, body = EXCLUDED.body";
        };
    }

    public void put(String id, V value) {
        putAll(Map.of(id, value));
    }

    public void putAll(Map<String, V> values) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(upsert)) {
            for (Map.Entry<String, V> e : values.entrySet()) {
                ps.setString(1, collection);
                ps.setString(2, e.getKey());
                ps.setLong(3, System.currentTimeMillis());
                ps.setString(4, Json.write(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new JournalException("cannot store " + collection, e);
        }
    }

    public void delete(Collection<String> ids) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE collection = ? AND id = ?")) {
            for (String id : ids) {
                ps.setString(1, collection);
                ps.setString(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new JournalException("cannot delete from " + collection, e);
        }
    }

    public Map<String, V> getAll(Collection<String> ids) {
        Map<String, V> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<String> list = new ArrayList<>(ids);
        String sql = "SELECT id, body FROM documents WHERE collection = ? AND id IN (" + "?,".repeat(list.size() - 1) + "?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, collection);
            for (int i = 0; i < list.size(); i++) {
                ps.setString(i + 2, list.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), Json.read(rs.getString(2), type));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot read " + collection, e);
        } catch (IOException e) {
            throw new UncheckedIOException("a " + collection + " row does not parse", e);
        }
        return found;
    }

    /** Ids of documents last written before {@code cutoffMillis}. */
    public List<String> idsUpdatedBefore(long cutoffMillis) {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM documents WHERE collection = ? AND updated_at < ?")) {
            ps.setString(1, collection);
            ps.setLong(2, cutoffMillis);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot list " + collection, e);
        }
        return ids;
    }

    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM documents WHERE collection = ?")) {
            ps.setString(1, collection);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("cannot list " + collection, e);
        }
        return ids;
    }
}
