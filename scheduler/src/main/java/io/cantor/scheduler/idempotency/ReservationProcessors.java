package io.cantor.scheduler.idempotency;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/** Atomic steps on one idempotency key: reserve, commit, release. */
public final class ReservationProcessors implements DataSerializableFactory {
    public static final int FACTORY_ID = 3;
    static final int RESERVE = 1;
    static final int COMMIT = 2;
    static final int RELEASE = 3;
    static final int TAKE_OVER = 4;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case RESERVE -> new Reserve();
            case COMMIT -> new Commit();
            case RELEASE -> new Release();
            case TAKE_OVER -> new TakeOver();
            default -> throw new IllegalArgumentException("unknown reservation processor " + typeId);
        };
    }

    abstract static class Step implements EntryProcessor<String, Reservation, Reservation>, IdentifiedDataSerializable {
        String jobId;
        long nowMillis;

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(jobId);
            out.writeLong(nowMillis);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            jobId = in.readString();
            nowMillis = in.readLong();
        }
    }

    /** Takes the key for {@code jobId} if it is free; otherwise returns the reservation that holds it. */
    static final class Reserve extends Step {
        Reserve() {
        }

        Reserve(String jobId, long nowMillis) {
            this.jobId = jobId;
            this.nowMillis = nowMillis;
        }

        @Override
        public Reservation process(Map.Entry<String, Reservation> entry) {
            Reservation existing = entry.getValue();
            if (existing != null) {
                return existing;
            }
            entry.setValue(new Reservation(jobId, nowMillis, false));
            return null;
        }

        @Override
        public int getClassId() {
            return RESERVE;
        }
    }

    /**
     * Takes over a reservation that never committed and whose job does not exist (its request
     * died), if it is still the one the caller saw; returns the reservation that holds the key after.
     */
    static final class TakeOver extends Step {
        private String staleJobId;

        TakeOver() {
        }

        TakeOver(String staleJobId, String jobId, long nowMillis) {
            this.staleJobId = staleJobId;
            this.jobId = jobId;
            this.nowMillis = nowMillis;
        }

        @Override
        public Reservation process(Map.Entry<String, Reservation> entry) {
            Reservation existing = entry.getValue();
            if (existing == null || (existing.jobId().equals(staleJobId) && !existing.committed())) {
                entry.setValue(new Reservation(jobId, nowMillis, false));
            }
            return entry.getValue();
        }

        @Override
        public int getClassId() {
            return TAKE_OVER;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            super.writeData(out);
            out.writeString(staleJobId);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            super.readData(in);
            staleJobId = in.readString();
        }
    }

    static final class Commit extends Step {
        Commit() {
        }

        Commit(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public Reservation process(Map.Entry<String, Reservation> entry) {
            Reservation existing = entry.getValue();
            if (existing != null && existing.jobId().equals(jobId) && !existing.committed()) {
                entry.setValue(new Reservation(jobId, existing.reservedAtMillis(), true));
            }
            return entry.getValue();
        }

        @Override
        public int getClassId() {
            return COMMIT;
        }
    }

    /** Gives the key up after a failed request, but only if it is still this request's. */
    static final class Release extends Step {
        Release() {
        }

        Release(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public Reservation process(Map.Entry<String, Reservation> entry) {
            Reservation existing = entry.getValue();
            if (existing != null && existing.jobId().equals(jobId) && !existing.committed()) {
                entry.setValue(null);
            }
            return null;
        }

        @Override
        public int getClassId() {
            return RELEASE;
        }
    }
}
