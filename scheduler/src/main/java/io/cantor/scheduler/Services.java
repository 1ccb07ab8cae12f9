package io.cantor.scheduler;

import com.hazelcast.core.HazelcastInstance;
import io.cantor.scheduler.api.SubmitRateLimiter;
import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.auth.AuditLog;
import io.cantor.scheduler.blob.BlobStore;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.events.EventLog;
import io.cantor.scheduler.logs.JobLogs;
import io.cantor.scheduler.notify.Notifications;
import io.cantor.scheduler.idempotency.IdempotencyKeys;
import io.cantor.scheduler.metrics.SchedulerMetrics;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.queue.Dispatcher;
import io.cantor.scheduler.queue.Placement;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Vertx;

import java.time.InstantSource;
import java.util.function.BooleanSupplier;

/** What a scheduler node's parts share, wired once by {@link SchedulerNode}. */
public record Services(Vertx vertx, SchedulerConfig config, InstantSource clock, HazelcastInstance hazelcast,
                       JobStore jobs, JobJournal journal, Dispatcher dispatcher, Placement placement, NodeRegistry nodes, ApiKeys apiKeys,
                       DatasetService datasets, BlobStore blobs, IdempotencyKeys idempotency,
                       SchedulerMetrics metrics, EventLog events, JobLogs logs, Notifications notifications,
                       SubmitRateLimiter rateLimiter, AuditLog audit, BooleanSupplier started) {
}
