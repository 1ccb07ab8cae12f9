package io.cantor.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapStore;
import io.cantor.model.AgentNode;
import io.cantor.model.Dataset;
import io.cantor.model.Job;
import io.cantor.scheduler.api.HttpApiVerticle;
import io.cantor.scheduler.api.SubmitRateLimiter;
import io.cantor.scheduler.auth.AuditLog;
import io.cantor.scheduler.auth.ApiKey;
import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.auth.Role;
import io.cantor.scheduler.blob.fs.FsBlobStore;
import io.cantor.scheduler.cluster.ClusterMember;
import io.cantor.scheduler.cluster.Ownership;
import io.cantor.scheduler.config.NotifyConfig;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.events.EventLog;
import io.cantor.scheduler.events.EventRelay;
import io.cantor.scheduler.logs.JobLogs;
import io.cantor.scheduler.notify.DeliveryBackoff;
import io.cantor.scheduler.notify.DeliverySender;
import io.cantor.scheduler.notify.NotificationSink;
import io.cantor.scheduler.notify.Notifications;
import io.cantor.scheduler.notify.TargetGuard;
import io.cantor.scheduler.notify.TenantWebhooks;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.idempotency.IdempotencyKeys;
import io.cantor.scheduler.idempotency.Reservation;
import io.cantor.scheduler.lease.LeaseReaper;
import io.cantor.scheduler.metrics.ClusterGauges;
import io.cantor.scheduler.metrics.JobCountGauges;
import io.cantor.scheduler.metrics.MetricsSink;
import io.cantor.scheduler.metrics.SchedulerMetrics;
import io.cantor.scheduler.nodes.NodeLiveness;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.queue.DispatcherVerticle;
import io.cantor.scheduler.queue.Placement;
import io.cantor.scheduler.queue.PlacementCheck;
import io.cantor.scheduler.retention.RetentionSweeper;
import io.cantor.scheduler.store.hazelcast.DocumentMapStore;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.cantor.scheduler.store.hazelcast.JournalMapStore;
import io.cantor.scheduler.store.hazelcast.JournalReconciler;
import io.cantor.scheduler.store.jdbc.Database;
import io.cantor.scheduler.store.jdbc.JdbcDocuments;
import io.cantor.scheduler.store.jdbc.JdbcJobJournal;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.cantor.scheduler.tasks.PeriodicTaskVerticle;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One scheduler node: a Hazelcast member, a clustered Vert.x, the dispatcher, the HTTP API and
 * the periodic tasks, wired together. {@link #start} blocks until the node serves requests.
 */
public final class SchedulerNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerNode.class);

    private final SchedulerConfig config;
    private final Database database;
    private final HazelcastInstance hazelcast;
    private final Vertx vertx;
    private final Services services;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SchedulerNode(SchedulerConfig config, Database database, HazelcastInstance hazelcast, Vertx vertx,
                          Services services) {
        this.config = config;
        this.database = database;
        this.hazelcast = hazelcast;
        this.vertx = vertx;
        this.services = services;
    }

    /** Wall-clock time at millisecond precision: what the journal and the wire keep. */
    public static InstantSource systemClock() {
        return java.time.Clock.tick(java.time.Clock.systemUTC(), java.time.Duration.ofMillis(1));
    }

    public static SchedulerNode start(SchedulerConfig config, InstantSource clock) {
        return start(config, clock, new VertxOptions());
    }

    /** Starts a node; {@code vertxOptions} lets tests make the blocked-event-loop check strict. */
    public static SchedulerNode start(SchedulerConfig requested, InstantSource clock, VertxOptions vertxOptions) {
        SchedulerConfig config = requested.httpPort() == 0
                ? requested.toBuilder().httpPort(freePort()).build() : requested;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + config.dataDir(), e);
        }
        Database database = Database.open(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(), config.dataDir());
        JdbcJobJournal journal = new JdbcJobJournal(database);
        Map<String, MapStore<String, ?>> journals = Map.of(
                HazelcastJobStore.MAP, new JournalMapStore(journal),
                DatasetService.MAP, new DocumentMapStore<>(datasetRows(database)),
                ApiKeys.MAP, new DocumentMapStore<>(new JdbcDocuments<>(database, "api-keys", ApiKey.class)),
                IdempotencyKeys.MAP, new DocumentMapStore<>(new JdbcDocuments<>(database, "idempotency", Reservation.class)),
                Notifications.SUBSCRIPTIONS, new DocumentMapStore<>(new JdbcDocuments<>(database, "webhooks", TenantWebhooks.class)),
                Notifications.SECRETS, new DocumentMapStore<>(new JdbcDocuments<>(database, "webhook-secrets", String.class)));
        HazelcastInstance hazelcast;
        try {
            hazelcast = ClusterMember.start(config, journals);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        try {
            return wire(config, clock, vertxOptions, database, journal, hazelcast);
        } catch (RuntimeException e) {
            hazelcast.getLifecycleService().terminate();
            database.close();
            throw e;
        }
    }

    private static SchedulerNode wire(SchedulerConfig config, InstantSource clock, VertxOptions vertxOptions,
                                      Database database, JdbcJobJournal journal, HazelcastInstance hazelcast) {

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        vertxOptions.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE))
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true)));
        Vertx vertx = await(Vertx.builder().with(vertxOptions)
                .withMetrics(new MicrometerMetricsFactory(registry))
                .withClusterManager(new HazelcastClusterManager(hazelcast))
                .buildClustered());

        SchedulerMetrics metrics = new SchedulerMetrics(registry);
        IMap<String, Job> jobsMap = hazelcast.getMap(HazelcastJobStore.MAP);
        HazelcastJobStore store = new HazelcastJobStore(vertx, jobsMap, clock, config.leaseTimeout(), config.retryBackoff());
        NodeRegistry nodes = new NodeRegistry(vertx, hazelcast.<String, AgentNode>getMap(NodeRegistry.MAP), clock);
        ApiKeys apiKeys = new ApiKeys(vertx, hazelcast.getMap(ApiKeys.MAP), clock);
        FsBlobStore blobs = new FsBlobStore(vertx, config.blobDir());
        DatasetService datasets = new DatasetService(vertx, hazelcast.getMap(DatasetService.MAP), blobs, clock, config.limits());
        if (config.bootstrapApiKey() != null) {
            apiKeys.register(config.bootstrapApiKey(), "default", Set.of(Role.ADMIN));
        }
        if (config.agentToken() != null) {
            apiKeys.register(config.agentToken(), "agents", Set.of(Role.AGENT));
        }

        DispatcherVerticle dispatcherVerticle = new DispatcherVerticle(jobsMap, hazelcast.getMap(NodeRegistry.MAP), journal,
                store, clock, metrics, config.tenantWeights()::weight);
        await(vertx.deployVerticle(dispatcherVerticle));
        AtomicBoolean started = new AtomicBoolean();
        NotifyConfig notify = config.notifications();
        EventLog events = new EventLog(vertx, hazelcast);
        JobLogs logs = new JobLogs(vertx, hazelcast.getMap(JobLogs.MAP));
        Notifications notifications = new Notifications(vertx, hazelcast, new TargetGuard(notify.allowPrivateTargets()), clock);
        MailClient mail = notify.emailEnabled() ? MailClient.createShared(vertx, new MailConfig()
                .setHostname(notify.smtpHost()).setPort(notify.smtpPort())
                .setStarttls(notify.smtpStartTls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
                .setUsername(notify.smtpUser()).setPassword(notify.smtpPassword()), "cantor-mail") : null;
        String publicUrl = notify.publicUrl() != null ? notify.publicUrl()
                : "http://" + ("0.0.0.0".equals(config.httpHost()) ? "localhost" : config.httpHost()) + ":" + config.httpPort();
        DeliverySender sender = new DeliverySender(vertx, notifications, mail, notify.smtpFrom(), publicUrl,
                new DeliveryBackoff(notify.retryInitial(), notify.retryMax(), notify.giveUpAfter()), clock, registry,
                Duration.ofSeconds(1));
        await(vertx.deployVerticle(new EventRelay(hazelcast, jobsMap, events,
                List.of(new MetricsSink(metrics), new NotificationSink(notifications, sender, notify.emailEnabled())), clock)));
        // after the relay, so that jobs it brings up to the journal relay their events
        await(vertx.deployVerticle(new JournalReconciler(hazelcast, jobsMap, journal, clock, config.heartbeatInterval())));
        Placement placement = new Placement();
        Services services = new Services(vertx, config, clock, hazelcast, store, journal, dispatcherVerticle.dispatcher(),
                placement, nodes, apiKeys, datasets, blobs, new IdempotencyKeys(vertx, hazelcast.getMap(IdempotencyKeys.MAP), store, clock),
                metrics, events, logs, notifications,
                new SubmitRateLimiter(vertx, hazelcast.getMap(SubmitRateLimiter.MAP), clock,
                        config.limits().submitsPerSecond(), config.limits().submitBurst()),
                new AuditLog(vertx, database, clock), started::get);
        await(vertx.deployVerticle(() -> new HttpApiVerticle(services),
                new DeploymentOptions().setInstances(config.httpInstances())));
        Ownership ownership = new Ownership(hazelcast);
        deploy(vertx, new LeaseReaper(vertx, journal, store, ownership, clock, config.heartbeatInterval(),
                services.dispatcher()::observe));
        // A node parked in a long poll is alive without calling in: allow for that wait too.
        deploy(vertx, new NodeLiveness(nodes, clock, config.leaseTimeout().plus(config.maxClaimWait()),
                config.heartbeatInterval()));
        deploy(vertx, sender);
        deploy(vertx, new ClusterGauges(vertx, metrics, services.dispatcher(), nodes, hazelcast, Duration.ofSeconds(5)));
        // Counting scans the journal: every few heartbeats is fresh enough for a dashboard.
        deploy(vertx, new JobCountGauges(vertx, metrics, journal, ownership, config.heartbeatInterval().multipliedBy(6)));
        if (config.limits().retention() != null) {
            Duration sweep = config.limits().retention().dividedBy(10);
            deploy(vertx, new RetentionSweeper(vertx, config.limits().retention(),
                    sweep.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : sweep, clock, datasetRows(database),
                    datasets, journal, blobs, ownership));
        }
        deploy(vertx, new PlacementCheck(services.dispatcher(), nodes, placement, config.heartbeatInterval()));
        started.set(true);
        LOG.info("scheduler node {} serves http://{}:{} (cluster '{}', {} member(s))", config.nodeName(),
                config.httpHost(), config.httpPort(), config.clusterName(), hazelcast.getCluster().getMembers().size());
        return new SchedulerNode(config, database, hazelcast, vertx, services);
    }

    public SchedulerConfig config() {
        return config;
    }

    public Services services() {
        return services;
    }

    public Vertx vertx() {
        return vertx;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    public String baseUrl() {
        String host = "0.0.0.0".equals(config.httpHost()) ? "127.0.0.1" : config.httpHost();
        return "http://" + host + ":" + config.httpPort();
    }

    /** Leaves the cluster gracefully: partitions migrate to the other members first. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            await(vertx.close());
        } catch (RuntimeException e) {
            LOG.warn("closing Vert.x failed", e);
        }
        hazelcast.shutdown();
        database.close();
    }

    /** Dies as a crash would: no goodbye to the cluster (tests of member loss). */
    public void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        hazelcast.getLifecycleService().terminate();
        vertx.close();
        database.close();
    }

    private static JdbcDocuments<Dataset> datasetRows(Database database) {
        return new JdbcDocuments<>(database, "datasets", Dataset.class);
    }

    private static void deploy(Vertx vertx, PeriodicTask task) {
        await(vertx.deployVerticle(new PeriodicTaskVerticle(task),
                new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP)));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("start-up step timed out", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
