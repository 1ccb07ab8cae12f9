package io.cantor.rvc.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.cantor.model.Progress;
import io.cantor.model.TrainingParams;
import io.cantor.model.json.Json;
import io.cantor.rvc.InvalidTrainingDataException;
import io.cantor.rvc.TrainingCancelledException;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.TrainingRequest;
import io.cantor.rvc.TrainingResult;
import io.cantor.rvc.VoiceTrainer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The walking skeleton's training: log-mel frames through a bottleneck autoencoder. Small, but a
 * real DJL training on the assigned device whose loss falls; the RVC V2 pipeline replaces it.
 */
public final class MelAutoencoderTrainer implements VoiceTrainer {
    private static final int MEL_BINS = 80;

    @Override
    public TrainingResult train(TrainingRequest request, TrainingListener listener)
            throws IOException, InvalidTrainingDataException, TrainingCancelledException {
        TrainingParams params = request.params();
        listener.progress(Progress.stage("preprocess"));
        Random random = new Random(params.seed());
        List<Path> recordings = new ArrayList<>(request.recordings());
        int holdout = recordings.size() > 1 ? Math.max(1, (int) Math.round(recordings.size() * params.holdoutFraction())) : 0;
        holdout = Math.min(holdout, recordings.size() - 1);
        java.util.Collections.shuffle(recordings, random);
        List<Path> validation = recordings.subList(0, holdout);
        List<Path> training = recordings.subList(holdout, recordings.size());
        float[][] trainFrames = LogMelFrames.of(training, MEL_BINS);
        float[][] validFrames = validation.isEmpty() ? new float[0][] : LogMelFrames.of(validation, MEL_BINS);
        if (trainFrames.length < params.batchSize()) {
            throw new InvalidTrainingDataException("recordings hold only " + trainFrames.length + " voiced frames");
        }
        listener.log("preprocess: " + training.size() + " training and " + validation.size()
                + " held-out recordings, " + trainFrames.length + " frames");

        Device device = devices(request.device());
        SequentialBlock net = network(params.modelSize());
        int batchesPerEpoch = Math.max(1, trainFrames.length / params.batchSize());
        long totalSteps = (long) batchesPerEpoch * params.epochs();
        if (params.maxSteps() > 0) {
            totalSteps = Math.min(totalSteps, params.maxSteps());
        }
        List<double[]> curve = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (Model model = Model.newInstance("cantor-mel-autoencoder", device);
             NDManager manager = NDManager.newBaseManager(device)) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l1Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) params.learningRate() * 5)).build())
                    .optDevices(new Device[]{device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(params.batchSize(), MEL_BINS));
                long step = 0;
                long started = System.nanoTime();
                double lastLoss = Double.NaN;
                outer:
                for (int epoch = 1; epoch <= params.epochs(); epoch++) {
                    double epochLoss = 0;
                    int batches = 0;
                    for (int b = 0; b < batchesPerEpoch; b++) {
                        if (listener.isCancelled()) {
                            throw new TrainingCancelledException(request.jobId());
                        }
                        if (step >= totalSteps) {
                            break outer;
                        }
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray batch = scope.create(sample(trainFrames, params.batchSize(), random));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray predicted = trainer.forward(new NDList(batch)).singletonOrThrow();
                                NDArray loss = trainer.getLoss().evaluate(new NDList(batch), new NDList(predicted));
                                collector.backward(loss);
                                lastLoss = loss.getFloat();
                            }
                            trainer.step();
                        }
                        step++;
                        epochLoss += lastLoss;
                        batches++;
                        curve.add(new double[]{step, epoch, lastLoss});
                        if (step == 1) {
                            metrics.put("first_loss", lastLoss);
                        }
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double samplesPerSecond = step * params.batchSize() / Math.max(seconds, 1e-9);
                    long eta = (long) ((totalSteps - step) * (seconds / Math.max(step, 1)));
                    listener.progress(new Progress("train", epoch, params.epochs(), step, totalSteps,
                            epochLoss / Math.max(batches, 1), samplesPerSecond, eta));
                    listener.log(String.format("epoch %d/%d loss %.4f", epoch, params.epochs(), epochLoss / Math.max(batches, 1)));
                }
                metrics.put("final_loss", lastLoss);
                metrics.put("steps", (double) step);
                metrics.put("train_seconds", (System.nanoTime() - started) / 1e9);
                listener.progress(Progress.stage("evaluate"));
                if (validFrames.length > 0) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray valid = scope.create(validFrames);
                        NDArray predicted = trainer.evaluate(new NDList(valid)).singletonOrThrow();
                        metrics.put("val_mel_l1", (double) valid.sub(predicted).abs().mean().getFloat());
                    }
                }
            }
            Path out = Files.createDirectories(request.workDir().resolve("model"));
            model.save(out, "model");
            return new TrainingResult(writeArtifact(request, out, metrics, curve), metrics);
        }
    }

    private static SequentialBlock network(String modelSize) {
        int hidden = "tiny".equals(modelSize) ? 32 : 128;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(16).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(MEL_BINS).build());
    }

    /** Loads a model zip this trainer wrote, unpacking it into {@code dir}; the caller closes the model. */
    public static Model load(Path zip, Path dir) throws IOException, ai.djl.MalformedModelException {
        Files.createDirectories(dir);
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry escapes its folder: " + e.getName());
                }
                Files.copy(z.getInputStream(e), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        var config = Json.mapper().readTree(dir.resolve("config.json").toFile());
        Model model = Model.newInstance("cantor-mel-autoencoder");
        model.setBlock(network(config.path("params").path("modelSize").asText("small")));
        model.load(dir, "model");
        return model;
    }

    private static Device devices(String device) {
        if (device != null && device.startsWith("gpu:")) {
            return Device.gpu(Integer.parseInt(device.substring(4)));
        }
        return Device.cpu();
    }

    private static float[][] sample(float[][] frames, int batch, Random random) {
        float[][] out = new float[batch][];
        for (int i = 0; i < batch; i++) {
            out[i] = frames[random.nextInt(frames.length)];
        }
        return out;
    }

    private static Path writeArtifact(TrainingRequest request, Path modelDir, Map<String, Double> metrics,
                                      List<double[]> curve) throws IOException {
        Path zip = request.workDir().resolve("model.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            try (var files = Files.list(modelDir)) {
                for (Path p : files.toList()) {
                    out.putNextEntry(new ZipEntry(p.getFileName().toString()));
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("format", "cantor-mel-autoencoder");
            config.put("melBins", MEL_BINS);
            config.put("sampleRate", LogMelFrames.SAMPLE_RATE);
            config.put("params", request.params());
            out.putNextEntry(new ZipEntry("config.json"));
            out.write(Json.writeBytes(config));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("metrics.json"));
            out.write(Json.writeBytes(metrics));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("loss.csv"));
            StringBuilder csv = new StringBuilder("step,epoch,loss\n");
            for (double[] row : curve) {
                csv.append((long) row[0]).append(',').append((int) row[1]).append(',').append(row[2]).append('\n');
            }
            out.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return zip;
    }
}
