package io.cantor.scheduler.logs;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Training logs that agents send with their heartbeats: kept (bounded) in the cluster after the
 * job ends, and published on the event bus while it runs so that any node can stream them.
 */
public final class JobLogs {
    public static final String MAP = "job-logs";
    public static final String ADDRESS = "cantor.logs.";
    public static final int FACTORY_ID = 5;
    static final int MAX_LINE = 2000;

    private final Vertx vertx;
    private final IMap<String, JobLog> logs;

    public JobLogs(Vertx vertx, IMap<String, JobLog> logs) {
        this.vertx = vertx;
        this.logs = logs;
    }

    public Future<Void> append(String jobId, String tenant, List<String> lines) {
        if (lines == null || lines.isEmpty()) {
            return Future.succeededFuture();
        }
        List<String> clipped = lines.stream().limit(1000)
                .map(l -> l.length() > MAX_LINE ? l.substring(0, MAX_LINE) + "…" : l).toList();
        return Future.fromCompletionStage(logs.submitToKey(jobId, new Append(tenant, clipped)), vertx.getOrCreateContext())
                .onSuccess(v -> clipped.forEach(line -> vertx.eventBus().publish(ADDRESS + jobId, line)))
                .mapEmpty();
    }

    public Future<Optional<JobLog>> read(String jobId) {
        return Future.fromCompletionStage(logs.getAsync(jobId), vertx.getOrCreateContext()).map(Optional::ofNullable);
    }

    public static DataSerializableFactory factory() {
        return id -> id == 1 ? new Append() : null;
    }

    static final class Append implements EntryProcessor<String, JobLog, Void>, IdentifiedDataSerializable {
        private String tenant;
        private List<String> lines;

        Append() {
        }

        Append(String tenant, List<String> lines) {
            this.tenant = tenant;
            this.lines = lines;
        }

        @Override
        public Void process(Map.Entry<String, JobLog> entry) {
            JobLog log = entry.getValue();
            List<String> all = new ArrayList<>(log == null ? List.of() : log.lines());
            all.addAll(lines);
            if (all.size() > JobLog.LIMIT) {
                all = all.subList(all.size() - JobLog.LIMIT, all.size());
            }
            entry.setValue(new JobLog(tenant, all, (log == null ? 0 : log.total()) + lines.size()));
            return null;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return 1;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(tenant);
            out.writeInt(lines.size());
            for (String l : lines) {
                out.writeString(l);
            }
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            tenant = in.readString();
            int n = in.readInt();
            lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                lines.add(in.readString());
            }
        }
    }
}
