package io.cantor.agent.run;

import io.cantor.agent.metrics.AgentMetrics;
import io.cantor.agent.scheduler.SchedulerClient;
import io.cantor.model.ConversionParams;
import io.cantor.model.Job;
import io.cantor.model.JobKind;
import io.cantor.model.Progress;
import io.cantor.model.agent.AgentMessages.Assignment;
import io.cantor.model.agent.AgentMessages.DatasetFile;
import io.cantor.rvc.InvalidTrainingDataException;
import io.cantor.rvc.TrainingCancelledException;
import io.cantor.rvc.TrainingDivergedException;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.TrainingRequest;
import io.cantor.rvc.TrainingResult;
import io.cantor.rvc.VoiceTrainer;
import io.cantor.rvc.convert.ConversionRequest;
import io.cantor.rvc.convert.ConversionResult;
import io.cantor.rvc.convert.VoiceConverter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One claimed job on this node, from inputs to "complete": fetches the recordings, trains (or, for a
 * conversion, converts with the named model) on a worker thread, heartbeats meanwhile, uploads
 * checkpoints and the model (or the WAV), and reports the end.
 * Stops when the scheduler says the job was cancelled or the lease is gone, uploading nothing more.
 */
public final class JobRun {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    private final Vertx vertx;
    private final SchedulerClient scheduler;
    private final VoiceTrainer trainer;
    private final VoiceConverter converter;
    private final WorkerExecutor worker;
    private final Assignment assignment;
    private final Job job;
    private final Path workDir;
    private final AgentMetrics metrics;
    private volatile Progress progress = Progress.stage("fetch");
    private volatile boolean stop;
    private volatile String stopReason;
    private volatile boolean finished;
    /** Log lines not yet sent; they ride on the next heartbeat. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> pendingLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private long heartbeatTimer = -1;

    public JobRun(Vertx vertx, SchedulerClient scheduler, VoiceTrainer trainer, VoiceConverter converter, WorkerExecutor worker,
                  Assignment assignment, Path workRoot, AgentMetrics metrics) {
        this.vertx = vertx;
        this.scheduler = scheduler;
        this.trainer = trainer;
        this.converter = converter;
        this.worker = worker;
        this.assignment = assignment;
        this.job = assignment.job();
        this.workDir = workRoot.resolve(job.id() + "-" + assignment.token());
        this.metrics = metrics;
    }

    public String jobId() {
        return job.id();
    }

    public List<Integer> gpus() {
        return job.lease().gpus();
    }

    /** Asks the run to stop at its next step (agent shutting down); the job is handed back as retryable. */
    public void handBack(String why) {
        stopReason = why;
        stop = true;
    }

    /** Runs the job to its end; the future completes when this node is done with it, whatever the outcome. */
    public Future<Void> run() {
        heartbeat();
        metrics.jobStarted(job, gpus());
        return vertx.fileSystem().mkdirs(workDir.resolve("input").toString())
                .compose(v -> fetchInputs())
                .compose(inputs -> worker.executeBlocking(() -> job.spec().kind() == JobKind.CONVERT ? convert(inputs) : train(inputs), false))
                .compose(result -> finalProgress().map(result))
                .compose(result -> scheduler.uploadArtifact(job.id(), assignment.token(), result.artifact())
                        .compose(v -> scheduler.complete(job.id(), assignment.token(), result.metrics())))
                .onSuccess(v -> LOG.info("job {} succeeded", job.id()))
                .recover(this::reportFailure)
                .eventually(() -> {
                    finished = true;
                    vertx.cancelTimer(heartbeatTimer);
                    metrics.jobEnded(job, gpus());
                    return vertx.executeBlocking(() -> {
                        deleteTree(workDir);
                        return null;
                    });
                }).mapEmpty();
    }

    /** Training is over: report its last figures before the upload, so the job never shows a stale epoch. */
    private Future<Void> finalProgress() {
        Progress last = progress;
        progress = new Progress("upload", last.epochs(), last.epochs(), last.steps(), last.steps(), last.loss(),
                last.samplesPerSecond(), 0);
        return scheduler.heartbeat(job.id(), assignment.token(), progress, drainLog()).otherwiseEmpty().mapEmpty();
    }

    private Future<Inputs> fetchInputs() {
        List<Future<Void>> downloads = new ArrayList<>();
        List<Path> recordings = new ArrayList<>();
        int i = 0;
        for (DatasetFile file : assignment.files()) {
            // One folder per file: names stay as uploaded (a base corpus encodes speaker__utterance in them).
            Path target = workDir.resolve("input").resolve(Integer.toString(i++)).resolve(file.name());
            recordings.add(target);
            downloads.add(vertx.fileSystem().mkdirs(target.getParent().toString())
                    .compose(v -> scheduler.download(file.url(), assignment.token(), target)));
        }
        Path checkpoint = assignment.checkpointUrl() == null ? null : workDir.resolve("resume.zip");
        if (checkpoint != null) {
            downloads.add(scheduler.download(assignment.checkpointUrl(), assignment.token(), checkpoint));
        }
        Path baseModel = assignment.baseModelUrl() == null ? null : workDir.resolve("base-model.zip");
        if (baseModel != null) {
            downloads.add(scheduler.download(assignment.baseModelUrl(), assignment.token(), baseModel));
        }
        Path model = assignment.modelUrl() == null ? null : workDir.resolve("model.zip");
        if (model != null) {
            downloads.add(scheduler.download(assignment.modelUrl(), assignment.token(), model));
        }
        return Future.all(downloads).map(v -> new Inputs(recordings, checkpoint, baseModel, model));
    }

    private TrainingResult convert(Inputs inputs) throws Exception {
        ConversionParams c = job.spec().conversion();
        if (inputs.model() == null || inputs.recordings().size() != 1) {
            throw new InvalidTrainingDataException("the scheduler sent no model or not exactly one recording to convert");
        }
        TrainingListener listener = listener();
        ConversionResult result = converter.convert(new ConversionRequest(inputs.model(), inputs.recordings().get(0),
                c.transpose(), c.indexRate(), device(), Files.createDirectories(workDir.resolve("work"))), listener);
        listener.log("converted: " + result.stats());
        return new TrainingResult(result.wav(), result.stats());
    }

    private String device() {
        return gpus().isEmpty() ? "cpu" : Devices.gpuOrCpu(gpus().get(0));
    }

    private TrainingResult train(Inputs inputs) throws Exception {
        TrainingRequest request = new TrainingRequest(job.id(), inputs.recordings(), job.spec().params(), device(),
                Files.createDirectories(workDir.resolve("work")), inputs.checkpoint(), inputs.baseModel());
        return trainer.train(request, listener());
    }

    /** Where the worker thread reports to: progress and log lines ride on heartbeats, checkpoints go up at once. */
    private TrainingListener listener() {
        return new TrainingListener() {
            @Override
            public void progress(Progress p) {
                progress = p;
                metrics.progress(job, p);
            }

            @Override
            public void log(String line) {
                LOG.info("job {}: {}", job.id(), line);
                pendingLog.add(line);
            }

            @Override
            public void checkpoint(Path checkpointZip, int epoch) {
                try {
                    scheduler.uploadCheckpoint(job.id(), assignment.token(), checkpointZip, epoch)
                            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
                } catch (Exception e) {
                    if (e.getCause() instanceof SchedulerClient.SchedulerException refused && leaseIsGone(refused)) {
                        LOG.warn("job {}: lease is gone ({}); stopping", job.id(), refused.getMessage());
                        stop = true;
                        return;
                    }
                    LOG.warn("job {}: checkpoint after epoch {} did not reach the scheduler", job.id(), epoch, e);
                }
            }

            @Override
            public boolean isCancelled() {
                return stop;
            }
        };
    }

    private Future<Void> reportFailure(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TrainingCancelledException) {
            if (stopReason == null) {
                LOG.info("job {} stopped: cancelled or lease lost", job.id());
                return Future.succeededFuture();
            }
            return scheduler.fail(job.id(), assignment.token(), stopReason, true).otherwiseEmpty();
        }
        // the same recordings with the same seed fail the same way again
        boolean retryable = !(cause instanceof InvalidTrainingDataException || cause instanceof TrainingDivergedException);
        LOG.warn("job {} failed ({})", job.id(), retryable ? "retryable" : "fatal", cause);
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        pendingLog.add("error: " + reason + (cause.getCause() != null ? " (caused by " + cause.getCause() + ")" : ""));
        return scheduler.heartbeat(job.id(), assignment.token(), progress, drainLog()).otherwiseEmpty()
                .compose(v -> scheduler.fail(job.id(), assignment.token(), reason, retryable)).otherwiseEmpty();
    }

    /** Now and then every H: tells the scheduler we live, learns whether to stop. */
    private void heartbeat() {
        if (finished || (stop && stopReason == null)) {
            return;
        }
        List<String> lines = drainLog();
        scheduler.heartbeat(job.id(), assignment.token(), progress, lines).onComplete(ar -> {
            if (ar.succeeded() && ar.result().cancelled()) {
                LOG.info("job {} was cancelled; stopping", job.id());
                stop = true;
            } else if (ar.failed() && ar.cause() instanceof SchedulerClient.SchedulerException e && leaseIsGone(e)) {
                LOG.warn("job {}: lease is gone ({}); stopping", job.id(), e.getMessage());
                stop = true;
            } else if (ar.failed()) {
                LOG.warn("job {}: heartbeat failed, will retry: {}", job.id(), ar.cause().getMessage());
                lines.forEach(pendingLog::add); // try these lines again with the next heartbeat
            }
            if (!finished) {
                heartbeatTimer = vertx.setTimer(Math.max(100, assignment.heartbeatIntervalMs()), t -> heartbeat());
            }
        });
    }

    /** 409: another attempt holds the job now; 404: the job was deleted. Either way this run is over. */
    private static boolean leaseIsGone(SchedulerClient.SchedulerException e) {
        return e.status() == 409 || e.status() == 404;
    }

    private List<String> drainLog() {
        List<String> lines = new ArrayList<>();
        for (String line; lines.size() < 500 && (line = pendingLog.poll()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Inputs(List<Path> recordings, Path checkpoint, Path baseModel, Path model) {
    }
}
