package io.cantor.scheduler.events;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.cantor.model.JobEvent;
import io.cantor.model.hazelcast.JobSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Appends a job's new events to its history, idempotently: events at or below {@code lastSeq} are already there. */
public final class HistoryProcessors implements DataSerializableFactory {
    public static final int FACTORY_ID = 4;
    static final int APPEND = 1;
    static final int APPENDED = 2;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case APPEND -> new Append();
            case APPENDED -> new Appended();
            default -> throw new IllegalArgumentException("unknown history processor " + typeId);
        };
    }

    /** Returns the events that were new (in order), so only they are published further. */
    static final class Append implements EntryProcessor<String, JobHistory, Appended>, IdentifiedDataSerializable {
        private String tenant;
        private List<JobEvent> events;

        Append() {
        }

        Append(String tenant, List<JobEvent> events) {
            this.tenant = tenant;
            this.events = events;
        }

        @Override
        public Appended process(Map.Entry<String, JobHistory> entry) {
            JobHistory history = entry.getValue();
            long last = history == null ? 0 : history.lastSeq();
            List<JobEvent> fresh = events.stream().filter(e -> e.seq() > last).toList();
            if (fresh.isEmpty()) {
                return new Appended(List.of());
            }
            List<JobEvent> all = new ArrayList<>(history == null ? List.of() : history.events());
            all.addAll(fresh);
            while (all.size() > JobHistory.LIMIT) {
                int progress = indexOfFirstProgress(all);
                all.remove(progress >= 0 ? progress : 0);
            }
            entry.setValue(new JobHistory(tenant, fresh.get(fresh.size() - 1).seq(), all));
            return new Appended(fresh);
        }

        private static int indexOfFirstProgress(List<JobEvent> events) {
            for (int i = 0; i < events.size(); i++) {
                if (JobEvent.PROGRESS.equals(events.get(i).type())) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return APPEND;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(tenant);
            Appended.write(out, events);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            tenant = in.readString();
            events = Appended.read(in);
        }
    }

    /** The events an append added. */
    public static final class Appended implements IdentifiedDataSerializable {
        private List<JobEvent> events;

        Appended() {
        }

        Appended(List<JobEvent> events) {
            this.events = events;
        }

        public List<JobEvent> events() {
            return events;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return APPENDED;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            write(out, events);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            events = read(in);
        }

        static void write(ObjectDataOutput out, List<JobEvent> events) throws IOException {
            out.writeInt(events.size());
            for (JobEvent e : events) {
                JobSerializer.writeEvent(out, e);
            }
        }

        static List<JobEvent> read(ObjectDataInput in) throws IOException {
            int n = in.readInt();
            List<JobEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(JobSerializer.readEvent(in));
            }
            return events;
        }
    }
}
