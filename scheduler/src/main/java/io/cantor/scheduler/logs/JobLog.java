package io.cantor.scheduler.logs;

import java.util.List;

/** A job's training log as kept in the cluster: the last {@link #LIMIT} lines, and how many there were in all. */
public record JobLog(String tenant, List<String> lines, long total) {
    public static final int LIMIT = 5000;

    public JobLog {
        lines = List.copyOf(lines);
    }
}
