package io.cantor.rvc.content;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.cantor.rvc.eval.Dtw;
import io.cantor.rvc.eval.MelCepstralDistortion;
import io.cantor.rvc.model.AdamW;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Trains {@link LearnedContentEncoder} on a parallel multi-speaker corpus so its output depends on
 * what is said, not on who says it.
 *
 * <p>Targets come from alignment: for every sentence, each speaker's rendition is DTW-aligned (on
 * mel-cepstra) to a reference speaker's (the one with most sentences), the aligned frames of all
 * speakers are averaged into one canonical "mean voice" frame sequence, and every speaker's frames
 * are trained to predict the canonical frames they align with. Because all voices share one target,
 * whatever distinguishes them (formants, tilt, pitch harmonics) is useless to the loss and is
 * trained away; what stays is the phonetic content. Sentences only one speaker said give no target
 * and are skipped.
 */
public final class ContentEncoderTrainer {
    public static final int WINDOW_FRAMES = 48;
    public static final int BATCH = 16;
    public static final float LEARNING_RATE = 1e-3f;
    private static final int CEPSTRAL_ORDER = 20;

    /** One recording of a parallel corpus: speaker, sentence id and 16 kHz audio. */
    public record Utterance(String speaker, String sentence, float[] audio16k) {
    }

    /** Progress hook: step, steps, loss; returning true stops with {@link Cancelled}. */
    public interface Monitor {
        void step(int step, int steps, double loss);

        boolean cancelled();
    }

    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("content encoder training cancelled");
        }
    }

    private record Example(float[][] input, float[][] target) {
    }

    private ContentEncoderTrainer() {
    }

    /** Steps to train for a model size (a base job runs this once). */
    public static int stepsFor(String size) {
        return switch (size) {
            case "tiny" -> 500;
            case "small" -> 3000;
            default -> 10000;
        };
    }

    /**
     * Trains {@code encoder}'s net in place and returns figures: {@code encoder_first_loss},
     * {@code encoder_final_loss}, and on held-out sentences {@code encoder_val_l1},
     * {@code encoder_cross_speaker_l1} (distance between two speakers' aligned encodings of one
     * sentence) and {@code input_cross_speaker_l1} (the same distance between the input log-mels).
     */
    public static Map<String, Double> train(LearnedContentEncoder encoder, List<Utterance> training,
                                            List<Utterance> heldOut, int steps, long seed, Monitor monitor) {
        List<Example> examples = examples(training);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no sentence was said by two or more speakers");
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        ContentNet net = encoder.net();
        NDManager base = encoder.manager();
        net.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        Random random = new Random(seed);
        int in = net.shape().inputDim();
        int out = net.shape().outputDim();
        int window = Math.min(WINDOW_FRAMES, examples.stream().mapToInt(e -> e.input.length).min().orElse(1));
        double smoothed = Double.NaN;
        try (AdamW optimizer = new AdamW(net.getParameters(), base)) {
            for (int step = 1; step <= steps; step++) {
                if (monitor.cancelled()) {
                    throw new Cancelled();
                }
                float[] x = new float[BATCH * in * window];
                float[] y = new float[BATCH * out * window];
                for (int b = 0; b < BATCH; b++) {
                    Example e = examples.get(random.nextInt(examples.size()));
                    int start = random.nextInt(e.input.length - window + 1);
                    for (int t = 0; t < window; t++) {
                        for (int c = 0; c < in; c++) {
                            x[(b * in + c) * window + t] = e.input[start + t][c];
                        }
                        for (int c = 0; c < out; c++) {
                            y[(b * out + c) * window + t] = e.target[start + t][c];
                        }
                    }
                }
                double loss;
                try (NDManager scope = base.newSubManager()) {
                    NDArray input = scope.create(x, new Shape(BATCH, in, window));
                    NDArray target = scope.create(y, new Shape(BATCH, out, window));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray l = net.apply(new ParameterStore(scope, false), input, true).sub(target).abs().mean();
                        collector.backward(l);
                        loss = l.getFloat();
                    }
                    // cosine decay to 10 %: the encoder is trained once, so settle it well
                    float lr = (float) (LEARNING_RATE * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * step / steps))));
                    optimizer.step(lr);
                }
                if (step == 1) {
                    figures.put("encoder_first_loss", loss);
                }
                smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
                monitor.step(step, steps, loss);
            }
        }
        net.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
        figures.put("encoder_final_loss", smoothed);
        figures.putAll(evaluate(encoder, heldOut.isEmpty() ? training : heldOut));
        return figures;
    }

    private static Map<String, Double> evaluate(LearnedContentEncoder encoder, List<Utterance> utterances) {
        Map<String, Double> figures = new LinkedHashMap<>();
        List<Example> examples = examples(utterances);
        double sum = 0;
        long count = 0;
        for (Example e : examples) {
            float[][] predicted = encoder.apply(e.input);
            for (int t = 0; t < predicted.length; t++) {
                for (int c = 0; c < predicted[t].length; c++) {
                    sum += Math.abs(predicted[t][c] - e.target[t][c]);
                    count++;
                }
            }
        }
        if (count > 0) {
            figures.put("encoder_val_l1", sum / count);
        }
        // speaker gap on one pair of speakers per sentence
        Map<String, List<Utterance>> bySentence = bySentence(utterances);
        double encoded = 0;
        double raw = 0;
        int pairs = 0;
        for (List<Utterance> group : bySentence.values()) {
            if (group.size() < 2) {
                continue;
            }
            Utterance a = group.get(0);
            Utterance b = group.get(group.size() - 1);
            float[][] pa = SpectralFeatures.pooled(a.audio16k());
            float[][] pb = SpectralFeatures.pooled(b.audio16k());
            Dtw.Alignment path = align(pa, pb);
            float[][] ea = encoder.encode(a.audio16k());
            float[][] eb = encoder.encode(b.audio16k());
            encoded += meanL1(ea, eb, path);
            raw += meanL1(pa, pb, path);
            pairs++;
        }
        if (pairs > 0) {
            figures.put("encoder_cross_speaker_l1", encoded / pairs);
            figures.put("input_cross_speaker_l1", raw / pairs);
        }
        return figures;
    }

    private static double meanL1(float[][] a, float[][] b, Dtw.Alignment path) {
        double sum = 0;
        for (int k = 0; k < path.length(); k++) {
            float[] x = a[Math.min(path.a()[k], a.length - 1)];
            float[] y = b[Math.min(path.b()[k], b.length - 1)];
            for (int c = 0; c < x.length; c++) {
                sum += Math.abs(x[c] - y[c]);
            }
        }
        return sum / (path.length() * (double) a[0].length);
    }

    /** Input frames and canonical targets for every utterance whose sentence the reference speaker also said. */
    static List<Example> examples(List<Utterance> utterances) {
        Map<String, List<Utterance>> bySentence = bySentence(utterances);
        String reference = referenceSpeaker(utterances);
        List<Example> examples = new ArrayList<>();
        for (List<Utterance> group : bySentence.values()) {
            Utterance ref = group.stream().filter(u -> u.speaker().equals(reference)).findFirst().orElse(null);
            if (ref == null || group.size() < 2) {
                continue;
            }
            float[][] refPooled = SpectralFeatures.pooled(ref.audio16k());
            int n = refPooled.length;
            int dim = refPooled[0].length;
            List<float[][]> pooled = new ArrayList<>();
            List<Dtw.Alignment> paths = new ArrayList<>();
            double[][] canonical = new double[n][dim];
            int[] counts = new int[n];
            for (Utterance u : group) {
                float[][] p = SpectralFeatures.pooled(u.audio16k());
                Dtw.Alignment path = align(p, refPooled);
                pooled.add(p);
                paths.add(path);
                // average this speaker's frames per reference frame first, so every speaker weighs the same
                double[][] perRef = new double[n][dim];
                int[] perCount = new int[n];
                for (int k = 0; k < path.length(); k++) {
                    int i = path.b()[k];
                    float[] frame = p[path.a()[k]];
                    for (int c = 0; c < dim; c++) {
                        perRef[i][c] += frame[c];
                    }
                    perCount[i]++;
                }
                for (int i = 0; i < n; i++) {
                    if (perCount[i] > 0) {
                        for (int c = 0; c < dim; c++) {
                            canonical[i][c] += perRef[i][c] / perCount[i];
                        }
                        counts[i]++;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < dim; c++) {
                    canonical[i][c] /= Math.max(1, counts[i]);
                }
            }
            for (int s = 0; s < group.size(); s++) {
                float[][] stacked = SpectralFeatures.stacked(group.get(s).audio16k());
                Dtw.Alignment path = paths.get(s);
                int frames = Math.min(stacked.length, pooled.get(s).length);
                float[][] target = new float[frames][dim];
                int[] hits = new int[frames];
                for (int k = 0; k < path.length(); k++) {
                    int j = path.a()[k];
                    if (j >= frames) {
                        continue;
                    }
                    double[] frame = canonical[path.b()[k]];
                    for (int c = 0; c < dim; c++) {
                        target[j][c] += (float) frame[c];
                    }
                    hits[j]++;
                }
                for (int j = 0; j < frames; j++) {
                    for (int c = 0; c < dim; c++) {
                        target[j][c] /= Math.max(1, hits[j]);
                    }
                }
                examples.add(new Example(java.util.Arrays.copyOf(stacked, frames), target));
            }
        }
        return examples;
    }

    /** DTW on mel-cepstra c1..c20, banded around the diagonal with room for tempo differences. */
    static Dtw.Alignment align(float[][] a, float[][] b) {
        double[][] ca = MelCepstralDistortion.melCepstra(a, CEPSTRAL_ORDER);
        double[][] cb = MelCepstralDistortion.melCepstra(b, CEPSTRAL_ORDER);
        int band = Math.max(20, Math.abs(a.length - b.length) + Math.max(a.length, b.length) / 5);
        return Dtw.align(a.length, b.length,
                (i, j) -> MelCepstralDistortion.frameDistortion(ca[i], cb[j], CEPSTRAL_ORDER), band);
    }

    static Map<String, List<Utterance>> bySentence(List<Utterance> utterances) {
        Map<String, List<Utterance>> groups = new TreeMap<>();
        for (Utterance u : utterances) {
            groups.computeIfAbsent(u.sentence(), k -> new ArrayList<>()).add(u);
        }
        groups.values().forEach(g -> g.sort(Comparator.comparing(Utterance::speaker)));
        return groups;
    }

    /** The speaker with most sentences (first by name on ties): the timeline every sentence is aligned to. */
    static String referenceSpeaker(List<Utterance> utterances) {
        Map<String, Integer> counts = new HashMap<>();
        utterances.forEach(u -> counts.merge(u.speaker(), 1, Integer::sum));
        return counts.entrySet().stream()
                .min(Comparator.comparing((Map.Entry<String, Integer> e) -> -e.getValue()).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElseThrow();
    }

}
