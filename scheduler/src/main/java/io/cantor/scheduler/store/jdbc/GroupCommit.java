package io.cantor.scheduler.store.jdbc;

import io.cantor.model.Job;
import io.cantor.scheduler.store.JobJournal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the write-through journal: each caller (a Hazelcast partition thread inside
 * MapStore.store) hands its job to one writer thread and waits; the writer takes everything that
 * is waiting, writes it in one JDBC batch and one commit, then releases all of them. Every caller
 * still returns only once its write is durable, but the database sees one round trip per batch
 * instead of one per change.
 */
public final class GroupCommit implements AutoCloseable {
    private static final int MAX_BATCH = 500;

    private final JobJournal journal;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private record Pending(Job job, CompletableFuture<Void> done) {
    }

    public GroupCommit(JobJournal journal, String name) {
        this.journal = journal;
        this.writer = new Thread(this::run, name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Blocks until {@code job} is committed (or the write failed). */
    public void record(Job job) {
        recordAll(List.of(job));
    }

    /** Blocks until all of {@code jobs} are committed (or a write failed); they may share commits with others'. */
    public void recordAll(java.util.Collection<Job> jobs) {
        if (closed) {
            throw new JournalException("the journal writer is closed; " + jobs.size() + " job(s) were not written", null);
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Pending(job, done));
            waits.add(done);
        }
        try {
            for (CompletableFuture<Void> done : waits) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalException("interrupted while journaling", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new JournalException("journal write failed", e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                // Several changes of one job in a batch: the latest wins, as a sequence of writes would.
                Map<String, Job> latest = new LinkedHashMap<>();
                for (Pending p : batch) {
                    Job seen = latest.get(p.job().id());
                    if (seen == null || seen.version() <= p.job().version()) {
                        latest.put(p.job().id(), p.job());
                    }
                }
                try {
                    journal.recordAll(latest.values());
                    batch.forEach(p -> p.done().complete(null));
                } catch (RuntimeException e) {
                    batch.forEach(p -> p.done().completeExceptionally(e));
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the writer; whoever still waits hears that their write did not happen. */
    @Override
    public void close() {
        closed = true;
        // No interrupt: H2 closes its file when a thread is interrupted inside it. The writer
        // finishes the batch in hand and sees the flag within its 100 ms poll.
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        JournalException refused = new JournalException("the journal writer closed before this write", null);
        abandoned.forEach(p -> p.done().completeExceptionally(refused));
    }
}
