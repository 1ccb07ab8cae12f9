package io.cantor.scheduler.api;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.time.InstantSource;
import java.util.Map;

/**
 * Per-tenant submission rate, cluster-wide: a token bucket per tenant in a cluster map, taken
 * atomically by an entry processor, so a tenant gets the same rate whichever node it calls.
 */
public final class SubmitRateLimiter {
    public static final String MAP = "submit-rates";
    public static final int FACTORY_ID = 8;

    private final Vertx vertx;
    private final IMap<String, long[]> buckets;
    private final InstantSource clock;
    private final double perSecond;
    private final int burst;

    public SubmitRateLimiter(Vertx vertx, IMap<String, long[]> buckets, InstantSource clock, double perSecond, int burst) {
        this.vertx = vertx;
        this.buckets = buckets;
        this.clock = clock;
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** 0 when the submission may go ahead; otherwise how many milliseconds until it may. */
    public Future<Long> take(String tenant) {
        return Future.fromCompletionStage(buckets.submitToKey(tenant, new Take(clock.millis(), perSecond, burst)),
                vertx.getOrCreateContext());
    }

    public static DataSerializableFactory factory() {
        return id -> id == 1 ? new Take() : null;
    }

    /** Bucket state: {tokens x 1000, last refill millis}. */
    static final class Take implements EntryProcessor<String, long[], Long>, IdentifiedDataSerializable {
        private long now;
        private double perSecond;
        private int burst;

        Take() {
        }

        Take(long now, double perSecond, int burst) {
            this.now = now;
            this.perSecond = perSecond;
            this.burst = burst;
        }

        @Override
        public Long process(Map.Entry<String, long[]> entry) {
            long[] state = entry.getValue() == null ? new long[]{burst * 1000L, now} : entry.getValue().clone();
            long refill = (long) ((now - state[1]) * perSecond); // milli-tokens since the last refill
            state[0] = Math.min(burst * 1000L, state[0] + Math.max(0, refill));
            state[1] = Math.max(state[1], now);
            if (state[0] >= 1000) {
                state[0] -= 1000;
                entry.setValue(state);
                return 0L;
            }
            entry.setValue(state);
            return (long) Math.ceil((1000 - state[0]) / perSecond);
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
            out.writeLong(now);
            out.writeDouble(perSecond);
            out.writeInt(burst);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            now = in.readLong();
            perSecond = in.readDouble();
            burst = in.readInt();
        }
    }
}
