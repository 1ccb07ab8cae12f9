package io.cantor.bench;

import io.cantor.model.Job;
import io.cantor.scheduler.SchedulerNode;
import io.cantor.scheduler.store.jdbc.Database;
import io.cantor.scheduler.store.jdbc.JdbcJobJournal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** Journal writes per second on the embedded H2 file: single-row upserts and batches of 100. */
public final class JournalBenchmark {
    public static void main(String[] args) throws Exception {
        InstantSource clock = SchedulerNode.systemClock();
        for (int round = 0; round < 3; round++) {
            Path dir = Files.createTempDirectory("cantor-journal-bench");
            try (Database db = Database.open(null, null, null, dir)) {
                JdbcJobJournal journal = new JdbcJobJournal(db);
                int n = 20_000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    journal.record(ClaimScaleBenchmark.newJob(clock, i));
                }
                double single = n / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                List<Job> batch = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    batch.add(ClaimScaleBenchmark.newJob(clock, i));
                    if (batch.size() == 100) {
                        journal.recordAll(batch);
                        batch.clear();
                    }
                }
                double batched = n / ((System.nanoTime() - start) / 1e9);
                System.out.printf("round %d: single upserts %.0f/s, batches of 100 %.0f rows/s%n", round, single, batched);
            }
        }
    }
}
