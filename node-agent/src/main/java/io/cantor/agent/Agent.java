package io.cantor.agent;

import io.cantor.agent.gpu.GpuMetrics;
import io.cantor.agent.gpu.NvidiaSmi;
import io.cantor.agent.metrics.AgentMetrics;
import io.cantor.agent.run.JobRun;
import io.cantor.agent.scheduler.SchedulerClient;
import io.cantor.model.agent.AgentMessages.Assignment;
import io.cantor.model.agent.Capabilities;
import io.cantor.model.agent.GpuInfo;
import io.cantor.rvc.VoiceTrainer;
import io.cantor.rvc.convert.VoiceConverter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An agent node: registers, long-polls for work while it has free capacity (one job per GPU, one
 * on a CPU-only node), runs each job pinned to the GPUs it was given, and serves {@code /metrics}.
 * All state changes happen on this verticle's context.
 */
public final class Agent extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    public static final String VERSION = "0.1.0";

    private final AgentConfig config;
    private final Capabilities capabilities;
    private final VoiceTrainer trainer;
    private final VoiceConverter converter;
    private final AgentMetrics metrics;
    private final Map<String, JobRun> runs = new ConcurrentHashMap<>();
    private final TreeSet<Integer> freeGpus = new TreeSet<>();
    /** Which job each busy GPU runs, for the GPU series' job_id label; read by the metrics poller. */
    private final Map<Integer, String> jobOnGpu = new ConcurrentHashMap<>();
    private SchedulerClient scheduler;
    private WorkerExecutor worker;
    private HttpServer metricsServer;
    private Promise<Void> pollHangUp;
    private boolean cpuBusy;
    private boolean draining;
    private long retryDelayMs = 500;

    private final NvidiaSmi nvidiaSmi;
    private long gpuPoll = -1;

    public Agent(AgentConfig config, Capabilities capabilities, VoiceTrainer trainer, VoiceConverter converter,
                 AgentMetrics metrics, NvidiaSmi nvidiaSmi) {
        this.config = config;
        this.nvidiaSmi = nvidiaSmi;
        this.capabilities = capabilities;
        this.trainer = trainer;
        this.converter = converter;
        this.metrics = metrics;
        capabilities.gpus().stream().map(GpuInfo::index).forEach(freeGpus::add);
    }

    @Override
    public Future<?> start() {
        scheduler = new SchedulerClient(vertx, config.schedulerUrl(), config.token(), config.caCert());
        worker = vertx.createSharedWorkerExecutor("cantor-training", capabilities.slots(), 7, TimeUnit.DAYS);
        Future<?> metricsUp = config.metricsPort() < 0 ? Future.succeededFuture()
                : vertx.createHttpServer().requestHandler(req -> {
                    if ("/metrics".equals(req.path())) {
                        req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(metrics.registry().scrape());
                    } else if ("/health/live".equals(req.path())) {
                        req.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
                    } else {
                        req.response().setStatusCode(404).end();
                    }
                }).listen(config.metricsPort()).onSuccess(s -> metricsServer = s);
        if (!capabilities.gpus().isEmpty()) {
            GpuMetrics gpuMetrics = new GpuMetrics(metrics.registry(), config.nodeId());
            Runnable poll = () -> vertx.executeBlocking(nvidiaSmi::readings)
                    .onSuccess(readings -> gpuMetrics.update(readings, this::jobOnGpu));
            poll.run();
            gpuPoll = vertx.setPeriodic(GPU_POLL_MS, t -> poll.run());
        }
        return metricsUp.onSuccess(v -> registerThenPoll());
    }

    /** NVML readings are cheap but not free: every few seconds is what a dashboard needs. */
    static final long GPU_POLL_MS = 5000;

    /** The port /metrics listens on (useful when configured as 0). */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.actualPort();
    }

    public int runningJobs() {
        return runs.size();
    }

    /** The job pinned to a GPU now, or null. Thread-safe. */
    public String jobOnGpu(int gpu) {
        return jobOnGpu.get(gpu);
    }

    /**
     * Stops claiming; running jobs get {@code timeout} to finish, then are handed back to the
     * queue (retryable) so that another node resumes them from their last checkpoint.
     */
    public Future<Void> drain(Duration timeout) {
        Promise<Void> drained = Promise.promise();
        context.runOnContext(v -> {
            draining = true;
            hangUpPoll();
            List<Future<Void>> ends = new ArrayList<>();
            runs.values().forEach(run -> ends.add(Future.future(p -> endPromises.put(run.jobId(), p))));
            long timer = vertx.setTimer(Math.max(1, timeout.toMillis()),
                    t -> runs.values().forEach(run -> run.handBack("agent " + config.nodeId() + " is shutting down")));
            Future.join(ends).onComplete(ar -> {
                vertx.cancelTimer(timer);
                drained.complete();
            });
        });
        return drained.future();
    }

    private final Map<String, Promise<Void>> endPromises = new ConcurrentHashMap<>();

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(gpuPoll);
        hangUpPoll();
        return scheduler.close();
    }

    private void registerThenPoll() {
        scheduler.register(config.nodeId(), capabilities, VERSION).onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.info("agent {} registered with {}: {} CPU(s), {} GPU(s), heartbeat every {} ms",
                        config.nodeId(), config.schedulerUrl(), capabilities.cpus(), capabilities.gpus().size(),
                        ar.result().heartbeatIntervalMs());
                retryDelayMs = 500;
                poll();
            } else {
                LOG.warn("cannot register with {}: {}; retrying", config.schedulerUrl(), ar.cause().getMessage());
                vertx.setTimer(backoff(), t -> registerThenPoll());
            }
        });
    }

    /** One long poll at a time, while there is room for a job. */
    private void poll() {
        if (draining || pollHangUp != null || !hasRoom()) {
            return;
        }
        Promise<Void> hangUp = Promise.promise();
        pollHangUp = hangUp;
        List<Integer> free = List.copyOf(freeGpus);
        scheduler.claim(config.nodeId(), free, config.claimWait(), hangUp.future()).onComplete(ar -> {
            if (pollHangUp == hangUp) {
                pollHangUp = null;
            }
            if (ar.succeeded()) {
                retryDelayMs = 500;
                ar.result().ifPresent(this::launch);
                poll();
            } else if (ar.cause() instanceof SchedulerClient.SchedulerException e && e.status() == 404) {
                LOG.warn("scheduler does not know this node; registering again");
                registerThenPoll();
            } else {
                if (!hangUp.future().isComplete()) {
                    LOG.warn("claim failed: {}; retrying", ar.cause().getMessage());
                }
                vertx.setTimer(hangUp.future().isComplete() ? 1 : backoff(), t -> poll());
            }
        });
    }

    private void launch(Assignment assignment) {
        List<Integer> gpus = assignment.job().lease().gpus();
        gpus.forEach(freeGpus::remove);
        gpus.forEach(g -> jobOnGpu.put(g, assignment.job().id()));
        if (capabilities.gpus().isEmpty()) {
            cpuBusy = true;
        }
        LOG.info("running job {} (attempt {}) on {}", assignment.job().id(), assignment.token(),
                gpus.isEmpty() ? "cpu" : "gpu " + gpus);
        JobRun run = new JobRun(vertx, scheduler, trainer, converter, worker, assignment, config.workDir(), metrics);
        runs.put(run.jobId(), run);
        run.run().onComplete(ar -> {
            runs.remove(run.jobId());
            freeGpus.addAll(gpus);
            gpus.forEach(jobOnGpu::remove);
            if (capabilities.gpus().isEmpty()) {
                cpuBusy = false;
            }
            Optional.ofNullable(endPromises.remove(run.jobId())).ifPresent(Promise::tryComplete);
            // A poll in flight asked with fewer free GPUs than we have now: ask again.
            hangUpPoll();
            poll();
        });
    }

    private boolean hasRoom() {
        return capabilities.gpus().isEmpty() ? !cpuBusy : !freeGpus.isEmpty();
    }

    private void hangUpPoll() {
        if (pollHangUp != null) {
            Promise<Void> p = pollHangUp;
            pollHangUp = null;
            p.tryComplete();
        }
    }

    private long backoff() {
        long delay = retryDelayMs;
        retryDelayMs = Math.min(10_000, retryDelayMs * 2);
        return delay;
    }
}
