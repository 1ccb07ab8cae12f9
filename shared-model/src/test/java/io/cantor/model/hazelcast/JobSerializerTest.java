package io.cantor.model.hazelcast;

import com.hazelcast.config.SerializerConfig;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.config.SerializationConfig;
import io.cantor.model.ConversionParams;
import io.cantor.model.Job;
import io.cantor.model.JobKind;
import io.cantor.model.JobResult;
import io.cantor.model.JobSpec;
import io.cantor.model.Notify;
import io.cantor.model.Progress;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;
import io.cantor.model.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobSerializerTest {
    private final SerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(new SerializationConfig().addSerializerConfig(
                    new SerializerConfig().setTypeClass(Job.class).setImplementation(new JobSerializer())))
            .build();

    static Job everyFieldSet() {
        Instant t = Instant.parse("2026-03-04T05:06:07.089Z");
        JobSpec spec = new JobSpec(JobKind.CONVERT, "d1", TrainingParams.fromJson(7, 100, 4, 48000, "rvc", 1e-4, 2, 0.2, 99L, "base-job", "base"),
                new ConversionParams("m1", "in/x.wav", -3.5, 0.6), 7, 5,
                new ResourceRequest(2, 40_000, Map.of("gpu.model", "H100", "zone", "b")), "idem-1",
                new Notify("https://hooks.example/x", "a@b.example"));
        return Job.submitted("j1", "t1", spec, t)
                .assign("node-a", List.of(0, 1), t.plusSeconds(1), Duration.ofSeconds(20))
                .heartbeat(1, new Progress("train", 3, 7, 30, 70, 0.25, 12.5, 40), t.plusSeconds(2), Duration.ofSeconds(20))
                .succeed(1, new JobResult("models/j1/a.zip", 1234, "ff00", Map.of("mcd_db", 6.25, "f0_rmse_hz", 11.0)),
                        t.plusSeconds(3));
    }

    @Test
    void aJobSurvivesTheRoundTripWithEveryField() {
        Job job = everyFieldSet();
        Data data = serialization.toData(job);
        assertEquals(job, serialization.toObject(data));
        assertTrue(data.totalSize() < 1000, "binary form stays compact: " + data.totalSize() + " bytes");
    }

    @Test
    void aFreshJobWithNullsSurvivesTooAndIsSmall() {
        Job job = Job.submitted("01a21248-994e-7c9a-8a3e-d6e5f675eef2", "tenant-a",
                JobSpec.training("01a21248-994e-7c9a-8a3e-d6e5f675eef3", TrainingParams.DEFAULTS, 0, ResourceRequest.ANY),
                Instant.parse("2026-01-01T00:00:00Z"));
        Data data = serialization.toData(job);
        assertEquals(job, serialization.toObject(data));
        assertTrue(data.totalSize() < 400, "a queued job costs " + data.totalSize() + " bytes");
    }

    @Test
    void jsonRoundTripKeepsTheJobToo() throws Exception {
        Job job = everyFieldSet();
        assertEquals(job, Json.read(Json.write(job), Job.class));
    }
}
