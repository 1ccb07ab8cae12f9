package io.cantor.scheduler.store;

import io.cantor.scheduler.store.jdbc.Database;
import io.cantor.scheduler.store.jdbc.JdbcJobJournal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** The journal contract against an embedded H2 file and a real PostgreSQL server. */
class JdbcJobJournalTest {
    @TempDir
    static Path dir;

    @Nested
    class H2 extends JobJournalContract {
        static Database db;
        static JobJournal journal;

        @BeforeAll
        static void open() {
            db = Database.open(null, null, null, dir);
            journal = new JdbcJobJournal(db);
        }

        @AfterAll
        static void close() {
            db.close();
        }

        @Override
        protected JobJournal journal() {
            return journal;
        }
    }

    @Nested
    class PostgreSql extends JobJournalContract {
        static EmbeddedPostgres postgres;
        static Database db;
        static JobJournal journal;

        @BeforeAll
        static void open() throws IOException {
            postgres = EmbeddedPostgres.builder().start();
            db = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, dir);
            journal = new JdbcJobJournal(db);
        }

        @AfterAll
        static void close() throws IOException {
            db.close();
            postgres.close();
        }

        @Override
        protected JobJournal journal() {
            return journal;
        }
    }
}
