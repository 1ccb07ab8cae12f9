package io.cantor.model.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.cantor.model.ConversionParams;
import io.cantor.model.Job;
import io.cantor.model.JobEvent;
import io.cantor.model.JobKind;
import io.cantor.model.JobResult;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.Lease;
import io.cantor.model.Notify;
import io.cantor.model.Progress;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written binary form of {@link Job}: the claim, heartbeat and reaper paths (de)serialize a
 * job on every call, and a queued job should cost few bytes on every member. Field order is the
 * format; add fields only at the end together with a {@link #FORMAT} bump.
 */
public final class JobSerializer implements StreamSerializer<Job> {
    public static final int TYPE_ID = 1001;
    private static final byte FORMAT = 1;
    private static final long NO_TIME = Long.MIN_VALUE;

    @Override
    public int getTypeId() {
        return TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, Job job) throws IOException {
        out.writeByte(FORMAT);
        out.writeString(job.id());
        out.writeString(job.tenant());
        writeSpec(out, job.spec());
        out.writeByte(job.state().ordinal());
        out.writeLong(job.version());
        out.writeInt(job.attempt());
        writeLease(out, job.lease());
        writeProgress(out, job.progress());
        writeResult(out, job.result());
        out.writeString(job.reason());
        writeTime(out, job.createdAt());
        writeTime(out, job.updatedAt());
        writeTime(out, job.notBefore());
        writeTime(out, job.startedAt());
        writeTime(out, job.finishedAt());
        out.writeLong(job.eventSeq());
        out.writeInt(job.outbox().size());
        for (JobEvent e : job.outbox()) {
            writeEvent(out, e);
        }
    }

    public static void writeEvent(ObjectDataOutput out, JobEvent e) throws IOException {
        out.writeLong(e.seq());
        out.writeString(e.type());
        writeTime(out, e.time());
        out.writeByte(e.state().ordinal());
        out.writeInt(e.attempt());
        out.writeString(e.node());
        out.writeString(e.reason());
        writeProgress(out, e.progress());
        out.writeInt(e.metrics().size());
        for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
            out.writeString(m.getKey());
            out.writeDouble(m.getValue());
        }
        out.writeInt(e.checkpointEpoch());
    }

    public static JobEvent readEvent(ObjectDataInput in) throws IOException {
        long seq = in.readLong();
        String type = in.readString();
        Instant time = readTime(in);
        JobState state = JobState.values()[in.readByte()];
        int attempt = in.readInt();
        String node = in.readString();
        String reason = in.readString();
        Progress progress = readProgress(in);
        int n = in.readInt();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            metrics.put(in.readString(), in.readDouble());
        }
        return new JobEvent(seq, type, time, state, attempt, node, reason, progress, metrics, in.readInt());
    }

    @Override
    public Job read(ObjectDataInput in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown job format " + format);
        }
        String id = in.readString();
        String tenant = in.readString();
        JobSpec spec = readSpec(in);
        JobState state = JobState.values()[in.readByte()];
        long version = in.readLong();
        int attempt = in.readInt();
        Lease lease = readLease(in);
        Progress progress = readProgress(in);
        JobResult result = readResult(in);
        String reason = in.readString();
        Instant createdAt = readTime(in);
        Instant updatedAt = readTime(in);
        Instant notBefore = readTime(in);
        Instant startedAt = readTime(in);
        Instant finishedAt = readTime(in);
        long eventSeq = in.readLong();
        int events = in.readInt();
        List<JobEvent> outbox = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            outbox.add(readEvent(in));
        }
        return new Job(id, tenant, spec, state, version, attempt, lease, progress, result, reason,
                createdAt, updatedAt, notBefore, startedAt, finishedAt, eventSeq, outbox);
    }

    private static void writeSpec(ObjectDataOutput out, JobSpec spec) throws IOException {
        out.writeByte(spec.kind().ordinal());
        out.writeString(spec.datasetId());
        TrainingParams p = spec.params();
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeInt(p.epochs());
            out.writeInt(p.maxSteps());
            out.writeInt(p.batchSize());
            out.writeInt(p.sampleRate());
            out.writeString(p.modelSize());
            out.writeDouble(p.learningRate());
            out.writeInt(p.checkpointEvery());
            out.writeDouble(p.holdoutFraction());
            out.writeLong(p.seed());
            out.writeString(p.baseModel());
            out.writeString(p.task());
        }
        ConversionParams c = spec.conversion();
        out.writeBoolean(c != null);
        if (c != null) {
            out.writeString(c.modelJobId());
            out.writeString(c.input());
            out.writeDouble(c.transpose());
            out.writeDouble(c.indexRate());
        }
        out.writeInt(spec.priority());
        out.writeInt(spec.maxAttempts());
        out.writeInt(spec.resources().gpus());
        out.writeLong(spec.resources().minGpuMemoryMb());
        writeStringMap(out, spec.resources().labels());
        out.writeString(spec.idempotencyKey());
        out.writeString(spec.notifications().webhookUrl());
        out.writeString(spec.notifications().email());
    }

    private static JobSpec readSpec(ObjectDataInput in) throws IOException {
        JobKind kind = JobKind.values()[in.readByte()];
        String datasetId = in.readString();
        TrainingParams params = null;
        if (in.readBoolean()) {
            params = new TrainingParams(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readString(),
                    in.readDouble(), in.readInt(), in.readDouble(), in.readLong(), in.readString(), in.readString());
        }
        ConversionParams conversion = null;
        if (in.readBoolean()) {
            conversion = new ConversionParams(in.readString(), in.readString(), in.readDouble(), in.readDouble());
        }
        int priority = in.readInt();
        int maxAttempts = in.readInt();
        ResourceRequest resources = new ResourceRequest(in.readInt(), in.readLong(), readStringMap(in));
        String idempotencyKey = in.readString();
        Notify notify = new Notify(in.readString(), in.readString());
        return new JobSpec(kind, datasetId, params, conversion, priority, maxAttempts, resources, idempotencyKey,
                notify);
    }

    private static void writeLease(ObjectDataOutput out, Lease lease) throws IOException {
        out.writeBoolean(lease != null);
        if (lease != null) {
            out.writeString(lease.nodeId());
            out.writeLong(lease.token());
            writeTime(out, lease.expiresAt());
            out.writeInt(lease.gpus().size());
            for (int gpu : lease.gpus()) {
                out.writeInt(gpu);
            }
        }
    }

    private static Lease readLease(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String node = in.readString();
        long token = in.readLong();
        Instant expires = readTime(in);
        int n = in.readInt();
        List<Integer> gpus = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gpus.add(in.readInt());
        }
        return new Lease(node, token, expires, gpus);
    }

    public static void writeProgress(ObjectDataOutput out, Progress p) throws IOException {
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeString(p.stage());
            out.writeInt(p.epoch());
            out.writeInt(p.epochs());
            out.writeLong(p.step());
            out.writeLong(p.steps());
            out.writeDouble(p.loss() == null ? Double.NaN : p.loss());
            out.writeDouble(p.samplesPerSecond());
            out.writeLong(p.etaSeconds());
        }
    }

    public static Progress readProgress(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String stage = in.readString();
        int epoch = in.readInt();
        int epochs = in.readInt();
        long step = in.readLong();
        long steps = in.readLong();
        double loss = in.readDouble();
        return new Progress(stage, epoch, epochs, step, steps, Double.isNaN(loss) ? null : loss, in.readDouble(),
                in.readLong());
    }

    public static void writeResult(ObjectDataOutput out, JobResult r) throws IOException {
        out.writeBoolean(r != null);
        if (r != null) {
            out.writeString(r.artifactKey());
            out.writeLong(r.artifactBytes());
            out.writeString(r.artifactSha256());
            out.writeInt(r.metrics().size());
            for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
                out.writeString(e.getKey());
                out.writeDouble(e.getValue());
            }
        }
    }

    public static JobResult readResult(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String key = in.readString();
        long bytes = in.readLong();
        String sha = in.readString();
        int n = in.readInt();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            metrics.put(in.readString(), in.readDouble());
        }
        return new JobResult(key, bytes, sha, metrics);
    }

    private static void writeStringMap(ObjectDataOutput out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeString(e.getKey());
            out.writeString(e.getValue());
        }
    }

    private static Map<String, String> readStringMap(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readString(), in.readString());
        }
        return map;
    }

    static void writeTime(ObjectDataOutput out, Instant t) throws IOException {
        out.writeLong(t == null ? NO_TIME : t.toEpochMilli());
    }

    static Instant readTime(ObjectDataInput in) throws IOException {
        long millis = in.readLong();
        return millis == NO_TIME ? null : Instant.ofEpochMilli(millis);
    }
}
