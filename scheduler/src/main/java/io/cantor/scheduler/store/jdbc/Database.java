package io.cantor.scheduler.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The journal's database: an embedded H2 file for one node, PostgreSQL shared by every member of
 * a cluster. Creates its tables on start; statements that differ between the two live in {@link Dialect}.
 */
public final class Database implements AutoCloseable {

    public enum Dialect {
        H2("CHARACTER VARYING", "BINARY VARYING"),
        POSTGRESQL("TEXT", "BYTEA");

        final String text;
        final String bytes;

        Dialect(String text, String bytes) {
            this.text = text;
            this.bytes = bytes;
        }
    }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** {@code url == null}: an H2 file in {@code dataDir}. */
    public static Database open(String url, String user, String password, Path dataDir) {
        String jdbcUrl = url != null ? url
                : "jdbc:h2:file:" + dataDir.resolve("journal").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setPoolName("cantor-journal");
        Dialect dialect = jdbcUrl.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.H2;
        Database db = new Database(new HikariDataSource(config), dialect);
        db.createSchema();
        return db;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    private void createSchema() {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jobs ("
                    + "id VARCHAR(36) PRIMARY KEY, "
                    + "tenant VARCHAR(64) NOT NULL, "
                    + "state VARCHAR(16) NOT NULL, "
                    + "version BIGINT NOT NULL, "
                    + "created_at BIGINT NOT NULL, "
                    + "updated_at BIGINT NOT NULL, "
                    + "lease_expires_at BIGINT, "
                    + "body " + dialect.text + " NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS jobs_tenant_id ON jobs (tenant, id)");
            s.execute("CREATE INDEX IF NOT EXISTS jobs_state_lease ON jobs (state, lease_expires_at)");
            s.execute("CREATE INDEX IF NOT EXISTS jobs_tenant_state ON jobs (tenant, state)"); // jobs-by-state gauge
            s.execute("CREATE TABLE IF NOT EXISTS documents ("
                    + "collection VARCHAR(32) NOT NULL, "
                    + "id VARCHAR(200) NOT NULL, "
                    + "updated_at BIGINT NOT NULL, "
                    + "body " + dialect.text + " NOT NULL, "
                    + "PRIMARY KEY (collection, id))");
            s.execute("CREATE TABLE IF NOT EXISTS audit ("
                    + (dialect == Dialect.H2 ? "id BIGINT AUTO_INCREMENT PRIMARY KEY, " : "id BIGSERIAL PRIMARY KEY, ")
                    + "at BIGINT NOT NULL, actor_key VARCHAR(64), actor_tenant VARCHAR(64), "
                    + "action VARCHAR(64) NOT NULL, target VARCHAR(200), detail " + dialect.text + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the journal's tables: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
