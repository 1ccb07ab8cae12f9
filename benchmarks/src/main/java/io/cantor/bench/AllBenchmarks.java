package io.cantor.bench;

import io.cantor.rvc.eval.ParallelQualityScenario;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code benchmarks/run} = {@code java -jar benchmarks/target/cantor-benchmarks.jar all [options]}:
 * every benchmark, in order, written to {@code benchmarks/RESULTS.md} by {@link ResultsWriter}.
 *
 * <ol>
 *   <li>{@code http}: {@link HttpBenchmarks} (submissions/s on 1 and 3 nodes, submit-to-claim latency,
 *       claims/s, end-to-end jobs/s, requeue delay), 3 runs each;</li>
 *   <li>{@code claim-scale}: {@link ClaimScaleBenchmark} at 1k, 100k and 1M queued;</li>
 *   <li>{@code training}: {@link TrainingBenchmark} step time at tiny and small;</li>
 *   <li>{@code preprocess}: {@link PreprocessBenchmark}, audio-seconds per second;</li>
 *   <li>{@code quality}: {@link ParallelQualityScenario} at small, one seeded run.</li>
 * </ol>
 *
 * Options: {@code --quick} (smoke test: one run, smaller sizes), {@code --out FILE}, {@code --only
 * PARTS} (comma-separated), {@code --skip-quality}, {@code --analysis FILE} (default
 * {@code benchmarks/ANALYSIS.md}), {@code --fresh} (do not carry parts that were not run over from
 * the existing output file). The file is rewritten after every part, so a run stopped midway keeps
 * what it measured.
 */
public final class AllBenchmarks {
    static final List<String> PARTS = List.of("http", "claim-scale", "training", "preprocess", "quality");
    static final Map<String, String> TITLES = Map.of("http", "HTTP load", "claim-scale", "Claim scale", "training",
            "Training speed", "preprocess", "Preprocessing", "quality", "RVC quality");
    static final String JAR_COMMAND = "java -jar benchmarks/target/cantor-benchmarks.jar all";

    private AllBenchmarks() {
    }

    /** The parsed command line; {@code launcher} is how the person started it (for the command lines in the file). */
    record Options(boolean quick, Path out, Set<String> only, boolean onlyGiven, boolean skipQuality, Path analysis, boolean fresh,
                   String launcher, List<String> args) {
        static Options parse(String[] args, String launcher) {
            boolean quick = false;
            boolean skipQuality = false;
            boolean fresh = false;
            Path out = Path.of("benchmarks/RESULTS.md");
            Path analysis = Path.of("benchmarks/ANALYSIS.md");
            Set<String> only = new LinkedHashSet<>(PARTS);
            boolean onlyGiven = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--skip-quality" -> skipQuality = true;
                    case "--fresh" -> fresh = true;
                    case "--out" -> out = Path.of(value(args, ++i, "--out needs a file"));
                    case "--analysis" -> analysis = Path.of(value(args, ++i, "--analysis needs a file"));
                    case "--only" -> {
                        only = new LinkedHashSet<>(Arrays.asList(value(args, ++i, "--only needs a list of parts").split(",")));
                        onlyGiven = true;
                        if (!PARTS.containsAll(only)) {
                            throw new IllegalArgumentException("--only takes some of " + String.join(",", PARTS));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return new Options(quick, out, only, onlyGiven, skipQuality, analysis, fresh, launcher, List.of(args));
        }

        private static String value(String[] args, int i, String problem) {
            if (i >= args.length) {
                throw new IllegalArgumentException(problem);
            }
            return args[i];
        }

        /** The parts this run measures, in suite order. */
        List<String> parts() {
            return PARTS.stream().filter(p -> notRunBecause(p) == null).toList();
        }

        /** Why this run leaves {@code part} out, or null when it runs it. */
        String notRunBecause(String part) {
            if (!only.contains(part)) {
                return "not in --only";
            }
            if (part.equals("quality") && skipQuality) {
                return "--skip-quality";
            }
            if (part.equals("quality") && quick && !onlyGiven) {
                return "skipped in quick mode: `" + launcher + " --quick --only quality` runs a few-minute smoke "
                        + "configuration of the scenario at tiny; without `--quick` it runs at small";
            }
            return null;
        }

        String command() {
            return launcher + (args.isEmpty() ? "" : " " + String.join(" ", args));
        }

        /** The command that re-runs one part alone, with this run's mode and output. */
        String rerun(String part) {
            StringBuilder c = new StringBuilder(launcher);
            if (quick) {
                c.append(" --quick");
            }
            if (!out.equals(Path.of("benchmarks/RESULTS.md"))) {
                c.append(" --out ").append(out);
            }
            return c.append(" --only ").append(part).toString();
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        String launcher = System.getenv().getOrDefault("CANTOR_BENCH_LAUNCHER", JAR_COMMAND);
        Options options;
        try {
            options = Options.parse(args, launcher);
        } catch (IllegalArgumentException e) {
            System.err.println("cantor benchmarks all: " + e.getMessage());
            System.err.println("usage: " + launcher + " [--quick] [--out FILE] [--only " + String.join(",", PARTS)
                    + "] [--skip-quality] [--analysis FILE] [--fresh]");
            System.exit(2);
            return;
        }
        System.exit(run(options) ? 0 : 1); // nothing of Vert.x, Hazelcast or DJL may keep the JVM up
    }

    /** Runs the parts and writes the file after each; answers whether every part ran without a failure. */
    static boolean run(Options options) throws Exception {
        long started = System.nanoTime();
        String date = Machine.now();
        Map<String, ResultsWriter.Block> blocks = new LinkedHashMap<>();
        if (!options.fresh() && Files.exists(options.out())) {
            ResultsWriter.carriedBlocks(Files.readString(options.out())).forEach((key, block) -> {
                if (PARTS.contains(key) && !options.parts().contains(key)) {
                    blocks.put(key, block);
                }
            });
        }
        boolean allGood = true;
        progress("parts: " + String.join(", ", options.parts()) + (options.quick() ? " (quick)" : "") + "; writing "
                + options.out() + (blocks.isEmpty() ? "" : "; carried over from it: " + String.join(", ", blocks.keySet())));
        write(options, blocks, date, started, true);
        for (String part : options.parts()) {
            progress(part + ": starting");
            long t0 = System.nanoTime();
            RunInfo.Started info = RunInfo.start(options.command(), options.rerun(part));
            ResultsWriter.Block block;
            try {
                block = switch (part) {
                    case "http" -> http(options, info);
                    case "claim-scale" -> claimScale(options, info);
                    case "training" -> training(options, info);
                    case "preprocess" -> preprocess(options, info);
                    case "quality" -> quality(options, info);
                    default -> throw new IllegalStateException(part);
                };
            } catch (Exception | Error e) {
                progress(part + " FAILED: " + e);
                e.printStackTrace();
                block = ResultsWriter.Block.of(part, TITLES.get(part), "## " + TITLES.get(part) + "\n\n" + info.finish().markdown()
                        + "\nFAILED: `" + e + "`\n", List.of(), List.of("failed: " + e));
            }
            allGood &= block.notes().stream().noneMatch(n -> n.startsWith("failed"));
            blocks.put(part, block);
            write(options, blocks, date, started, true);
            progress(String.format("%s: done in %s", part, RunInfo.duration((System.nanoTime() - t0) / 1e9)));
        }
        write(options, blocks, date, started, false);
        String results = Files.readString(options.out());
        System.out.println();
        System.out.println(results.substring(0, results.indexOf("\n## What limits the figures")));
        progress("wrote " + options.out() + " in " + RunInfo.duration((System.nanoTime() - started) / 1e9));
        return allGood;
    }

    private static void write(Options options, Map<String, ResultsWriter.Block> blocks, String date, long started,
                              boolean inProgress) throws Exception {
        String analysis = Files.exists(options.analysis()) ? Files.readString(options.analysis()) : null;
        ResultsWriter.Header header = new ResultsWriter.Header(options.command(), date, (System.nanoTime() - started) / 1e9,
                Machine.describe(), Machine.gitCommit(), options.quick(), inProgress);
        Map<String, String> notRun = new LinkedHashMap<>();
        PARTS.forEach(p -> {
            if (options.notRunBecause(p) != null) {
                notRun.put(p, options.notRunBecause(p));
            }
        });
        String md = ResultsWriter.write(header, PARTS, blocks, TITLES, notRun, analysis, options.analysis().toString());
        Path parent = options.out().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = options.out().resolveSibling(options.out().getFileName() + ".tmp");
        Files.writeString(tmp, md, StandardCharsets.UTF_8);
        Files.move(tmp, options.out(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static final long STARTED = System.nanoTime();

    static void progress(String line) {
        System.err.printf("[all %7.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    }

    // ------------------------------------------------------------------ 1. HTTP

    static ResultsWriter.Block http(Options options, RunInfo.Started info) throws Exception {
        HttpBenchmarks.Plan plan = options.quick() ? HttpBenchmarks.Plan.quick() : HttpBenchmarks.Plan.full();
        HttpBenchmarks.Outcome outcome = HttpBenchmarks.run(plan, new LinkedHashSet<>(HttpBenchmarks.SCENARIOS));
        String section = HttpBenchmarks.httpSection(outcome.figures(), outcome.failures(), info.finish());
        List<String> notes = new ArrayList<>();
        if (options.quick()) {
            notes.add("quick mode: 1 run of each scenario, 3 s windows, 1,000 jobs for claims and end to end.");
        }
        outcome.failures().forEach(f -> notes.add("failed run: " + f));
        return ResultsWriter.Block.of("http", TITLES.get("http"), section, outcome.figures(), notes);
    }

    // ------------------------------------------------------------------ 2. claim scale

    static final double HEAP_TARGET_BYTES = 2048;

    static ResultsWriter.Block claimScale(Options options, RunInfo.Started info) throws Exception {
        ClaimScaleBenchmark.Plan plan = options.quick() ? ClaimScaleBenchmark.Plan.quick() : ClaimScaleBenchmark.Plan.full();
        List<ClaimScaleBenchmark.SizeResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int n : plan.sizes()) {
            try {
                results.add(ClaimScaleBenchmark.run(n, plan));
            } catch (Exception e) {
                progress(String.format("claim scale at %,d queued FAILED: %s", n, e));
                e.printStackTrace();
                notes.add(String.format("failed at %,d queued: %s", n, e));
            }
        }
        if (options.quick()) {
            notes.add(String.format("quick mode: %s queued only (1,000,000 skipped), %d fill(s), %d round(s) of %,d claims.",
                    String.join(" and ", plan.sizes().stream().map(n -> String.format("%,d", n)).toList()), plan.fills(),
                    plan.rounds(), plan.claimsPerRound()));
        }
        List<Figure> figures = claimFigures(results);
        StringBuilder md = new StringBuilder("## Claim latency and heap against queue length (in-process)\n\n");
        md.append(info.finish().markdown());
        md.append(String.format("- One scheduler node in the benchmark JVM (journal on: embedded H2, write-through). Its queue is "
                + "filled with n jobs of 50 tenants; then claims go through the dispatcher (pick from the index, "
                + "compare-and-set on the job, journal write), timed one by one, after %d warm-up claims. One job is "
                + "enqueued per claim (untimed), so the queue stays at n; leases last hours, so nothing is requeued meanwhile.%n",
                ClaimScaleBenchmark.WARMUP_CLAIMS));
        md.append(String.format("- Runs: %d fill(s) per size (a fresh node each); per fill %d round(s) of %,d claims on the same "
                + "filled queue (it is n long before every round). Latency figures: one value per round; heap per queued job: "
                + "used heap after full GCs, after the fill minus before it, over n, one value per fill.%n",
                plan.fills(), plan.rounds(), plan.claimsPerRound()));
        md.append("- Heap per queued job at 1,000 is mostly the node's fixed working set divided by 1,000; the per-job ")
                .append("target is read at 100,000 and 1,000,000.\n\n");
        md.append(ClaimScaleBenchmark.table(results));
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return ResultsWriter.Block.of("claim-scale", TITLES.get("claim-scale"), md.toString(), figures, notes);
    }

    /** Latency at each size, the ratio of the largest to the smallest, and heap per queued job with its target. */
    static List<Figure> claimFigures(List<ClaimScaleBenchmark.SizeResult> results) {
        List<Figure> figures = new ArrayList<>();
        for (ClaimScaleBenchmark.SizeResult r : results) {
            Figure p50 = new Figure(String.format("Claim latency p50 at %,d queued, µs", r.queued()), "%.0f");
            Figure p99 = new Figure(String.format("Claim latency p99 at %,d queued, µs", r.queued()), "%.0f");
            r.p50Us().forEach(p50::add);
            r.p99Us().forEach(p99::add);
            figures.add(p50);
            figures.add(p99);
        }
        List<ClaimScaleBenchmark.SizeResult> sorted = results.stream()
                .sorted(Comparator.comparingInt(ClaimScaleBenchmark.SizeResult::queued)).toList();
        if (sorted.size() >= 2) {
            ClaimScaleBenchmark.SizeResult small = sorted.get(0);
            ClaimScaleBenchmark.SizeResult large = sorted.get(sorted.size() - 1);
            String target = large.queued() == 1_000_000 && small.queued() == 1_000 ? "≤ 2" : "≤ 2 (stated for 1M vs 1k)";
            for (String p : new String[]{"p50", "p99"}) {
                List<Double> a = p.equals("p50") ? small.p50Us() : small.p99Us();
                List<Double> b = p.equals("p50") ? large.p50Us() : large.p99Us();
                Figure ratio = new Figure(String.format("Claim latency %s at %,d queued ÷ at %,d", p, large.queued(), small.queued()),
                        "%.2f").target(target, v -> v <= 2).runsNote("ratio of medians");
                ratio.add(Stats.median(b) / Stats.median(a));
                figures.add(ratio);
            }
        }
        for (ClaimScaleBenchmark.SizeResult r : results) {
            Figure heap = new Figure(String.format("Heap per queued job at %,d queued, bytes", r.queued()), "%.0f");
            if (r.queued() >= 100_000) {
                heap = heap.target("≤ 2,048 (2 KiB)", v -> v <= HEAP_TARGET_BYTES);
            }
            r.heapBytesPerJob().forEach(heap::add);
            figures.add(heap);
        }
        return figures;
    }

    // ------------------------------------------------------------------ 3. training speed

    static ResultsWriter.Block training(Options options, RunInfo.Started info) {
        int runs = options.quick() ? 1 : TrainingBenchmark.RUNS;
        int warmup = options.quick() ? 1 : 3;
        List<TrainingBenchmark.StepResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String size : List.of("tiny", "small")) {
            int steps = options.quick() ? (size.equals("tiny") ? 2 : 1) : TrainingBenchmark.stepsPerRun(size);
            try {
                TrainingBenchmark.StepResult r = TrainingBenchmark.stepTime(size, steps, runs, warmup);
                progress("training: " + r.line());
                results.add(r);
            } catch (Exception e) {
                progress("training " + size + " FAILED: " + e);
                e.printStackTrace();
                notes.add("failed at " + size + ": " + e);
            }
        }
        if (options.quick()) {
            notes.add("quick mode: 1 warm-up step, 1 run of 2 (tiny) or 1 (small) steps.");
        }
        List<Figure> figures = new ArrayList<>();
        StringBuilder md = new StringBuilder("## Training step time\n\n").append(info.finish().markdown());
        md.append(String.format("- One optimiser step of the RVC generator as a training job runs it (NSF generator forward, "
                + "45 x mel L1 + multi-resolution STFT loss, backward, AdamW) on random inputs, CPU, %d Hz, batch %d, "
                + "RVC segment; %d warm-up step(s), then %d run(s), each the mean of its steps. Samples/s = training "
                + "segments per second.%n%n", TrainingBenchmark.RATE, TrainingBenchmark.BATCH, warmup, runs));
        md.append("| size | weights | batch x frames (audio per step) | steps per run | step time, s | samples/s | audio-s/s | runs |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (TrainingBenchmark.StepResult r : results) {
            md.append(String.format("| %s | %,d | %d x %d (%.2f s) | %d | %s | %s | %s | %d |%n", r.size(), r.parameters(), r.batch(),
                    r.frames(), r.audioSecondsPerStep(), r.stepsPerRun(), Stats.summary(r.stepSeconds(), "%.3f"),
                    Stats.summary(r.samplesPerSecond(), "%.2f"), Stats.summary(r.audioSecondsPerSecond(), "%.2f"),
                    r.stepSeconds().size()));
            Figure step = new Figure("Training step time, " + r.size() + " (batch " + r.batch() + "), s", "%.3f");
            Figure samples = new Figure("Training samples/s, " + r.size(), "%.2f");
            r.stepSeconds().forEach(step::add);
            r.samplesPerSecond().forEach(samples::add);
            figures.add(step);
            figures.add(samples);
        }
        notes.forEach(n -> md.append("\n- ").append(n));
        return ResultsWriter.Block.of("training", TITLES.get("training"), md.toString(), figures, notes);
    }

    // ------------------------------------------------------------------ 4. preprocessing

    static ResultsWriter.Block preprocess(Options options, RunInfo.Started info) {
        int seconds = options.quick() ? 10 : 60;
        int runs = options.quick() ? 1 : PreprocessBenchmark.RUNS;
        List<PreprocessBenchmark.StageResult> results = PreprocessBenchmark.run(seconds, runs, r -> progress("preprocess: " + r.line()));
        List<String> notes = new ArrayList<>();
        if (options.quick()) {
            notes.add("quick mode: 10 s of audio, 1 run.");
        }
        StringBuilder md = new StringBuilder("## Preprocessing throughput\n\n").append(info.finish().markdown());
        md.append(String.format("- The data stages a training job runs before the generator, on %d s of generated 44.1 kHz "
                + "speech-like audio (harmonic vowels, moving formants, pauses): RVC preprocess (resample to 40 kHz and "
                + "16 kHz, high-pass, slicer, chunks, normalisation), F0 (YIN), content features (spectral encoder; learned "
                + "encoder at tiny and small width), in audio-seconds per wall-second; %d run(s) each.%n%n", seconds, runs));
        md.append("| stage | audio-s/s | runs |\n|---|---|---|\n");
        List<Figure> figures = new ArrayList<>();
        for (PreprocessBenchmark.StageResult r : results) {
            md.append(String.format("| %s | %s | %d |%n", r.stage(), Stats.summary(r.rates(), "%.1f"), r.rates().size()));
            Figure f = new Figure("Preprocessing: " + r.stage() + ", audio-s/s", "%.1f");
            r.rates().forEach(f::add);
            figures.add(f);
        }
        notes.forEach(n -> md.append("\n- ").append(n));
        return ResultsWriter.Block.of("preprocess", TITLES.get("preprocess"), md.toString(), figures, notes);
    }

    // ------------------------------------------------------------------ 5. quality

    /** The quick smoke configuration: exercises the whole scenario in about a minute; its figures are not the quality. */
    /**
     * The test's plan at {@code small} with 200 base generator steps instead of 40: with the test's
     * base, small converted at the bar (13.0-16.6 %) and doubling the voice steps hardly helped
     * (15.8 %); a better-trained base did (17.4 %). See benchmarks/ANALYSIS.md.
     */
    static ParallelQualityScenario.Plan smallQualityPlan() {
        return ParallelQualityScenario.Plan.of("small").withSteps(200, 100);
    }

    static ParallelQualityScenario.Plan quickQualityPlan() {
        return ParallelQualityScenario.Plan.of("tiny").withCorpus(ParallelQualityScenario.BASE_VOICES.subList(0, 3), 6, 6, 2)
                .withSteps(5, 3);
    }

    static ResultsWriter.Block quality(Options options, RunInfo.Started info) throws Exception {
        String title = TITLES.get("quality");
        if (!ParallelQualityScenario.espeakAvailable()) {
            String section = "## RVC conversion quality\n\n" + info.finish().markdown()
                    + "\nNot measured: `espeak-ng` is not installed (it synthesises the parallel corpus).\n";
            return ResultsWriter.Block.of("quality", title, section, List.of(), List.of("failed: espeak-ng is not installed."));
        }
        ParallelQualityScenario.Plan plan = options.quick() ? quickQualityPlan() : smallQualityPlan();
        Path dir = Files.createTempDirectory("cantor-bench-quality");
        long t0 = System.nanoTime();
        ParallelQualityScenario.Result r;
        try {
            r = ParallelQualityScenario.run(plan, dir, line -> System.err.printf("[quality %7.1fs] %s%n",
                    (System.nanoTime() - t0) / 1e9, line));
        } finally {
            deleteTree(dir);
        }
        return qualityBlock(r, info.finish(), options.quick());
    }

    static ResultsWriter.Block qualityBlock(ParallelQualityScenario.Result r, RunInfo info, boolean quick) {
        ParallelQualityScenario.Plan plan = r.plan();
        List<String> notes = new ArrayList<>();
        notes.add(String.format("a single seeded run (seed %d) at %s, %s wall time.", plan.seed(), plan.size(),
                RunInfo.duration(r.wallSeconds())));
        if (quick) {
            notes.add("quick mode: a smoke configuration at tiny (" + plan.baseVoices().size() + " base voices x "
                    + plan.baseSentences() + " sentences, " + plan.baseGeneratorSteps() + " base generator steps, "
                    + plan.voiceEpochs() + " voice epochs): it exercises the scenario; its figures are not the quality "
                    + "(the small run is skipped).");
        }
        String runs = "1 (seeded)";
        Figure before = new Figure("MCD(A,B), dB (" + plan.size() + ")", "%.2f").runsNote(runs);
        Figure after = new Figure("MCD(converted,B), dB", "%.2f").runsNote(runs);
        double minReduction = 100 * (1 - ParallelQualityScenario.BAR_MAX_MCD_RATIO);
        Figure reduction = new Figure("MCD reduction, %", "%.1f").runsNote(runs)
                .target(String.format("≥ %.0f %%", minReduction), v -> 1 - v / 100 <= ParallelQualityScenario.BAR_MAX_MCD_RATIO)
                .anchors(Anchors.QUALITY_BAR);
        Figure rmse = new Figure("Converted F0 RMSE vs A's F0 + transpose, Hz", "%.1f").runsNote(runs)
                .target(String.format("< %.0f Hz", ParallelQualityScenario.BAR_MAX_F0_RMSE_HZ),
                        v -> v < ParallelQualityScenario.BAR_MAX_F0_RMSE_HZ).anchors(Anchors.QUALITY_BAR);
        Figure wall = new Figure("Quality scenario wall time, min", "%.1f").runsNote(runs);
        before.add(r.mcdSourceDb());
        after.add(r.mcdConvertedDb());
        reduction.add(r.mcdReductionPercent());
        rmse.add(r.pitch().rmseHz());
        wall.add(r.wallSeconds() / 60);
        List<Figure> figures = List.of(before, after, reduction, rmse, wall);

        StringBuilder md = new StringBuilder("## RVC conversion quality (" + plan.size() + ")\n\n").append(info.markdown());
        md.append(String.format("- **A single seeded run** (seed %d seeds the split, shuffling and initialisation, but libtorch's "
                + "multi-threaded CPU kernels are not bit-exact, so reruns differ a little). Wall time %s: corpus %.0f s, base model %.0f s, voice model %.0f s, conversion and scoring %.0f s.%n",
                plan.seed(), RunInfo.duration(r.wallSeconds()), r.corpusSeconds(), r.baseSeconds(), r.voiceSeconds(),
                r.evaluateSeconds()));
        md.append(String.format("- Scenario (`ParallelQualityScenario`, which `RvcQualityTest` runs at tiny): a %s base model from "
                + "%d espeak-ng voices x %d sentences (content encoder for the size's steps, then %d generator steps), a voice "
                + "fine-tuned on speaker B (`%s`, %d sentences, %d epochs, lr 2e-3, %d Hz), then speaker A (`%s`, in neither "
                + "training set) converted to B on %d sentences B did not train on; transpose = rounded semitone ratio of the "
                + "two speakers' median F0. MCD is DTW-aligned at 16 kHz; F0 RMSE over frames voiced in both (YIN) against "
                + "A's F0 moved by the transpose.%n%n", plan.size(), plan.baseVoices().size(), plan.baseSentences(),
                plan.baseGeneratorSteps(), ParallelQualityScenario.SPEAKER_B, plan.voiceSentences(), plan.voiceEpochs(),
                plan.sampleRate(), ParallelQualityScenario.SPEAKER_A, plan.testSentences()));
        md.append("| figure | value | bar |\n|---|---|---|\n");
        md.append(String.format("| MCD(A,B) | %.2f dB | — |%n", r.mcdSourceDb()));
        md.append(String.format("| MCD(converted,B) | %.2f dB | ≤ %.2f x MCD(A,B) = %.2f dB |%n", r.mcdConvertedDb(),
                ParallelQualityScenario.BAR_MAX_MCD_RATIO, ParallelQualityScenario.BAR_MAX_MCD_RATIO * r.mcdSourceDb()));
        md.append(String.format("| reduction | %.1f %% | %s (%s) |%n", r.mcdReductionPercent(), reduction.target(), reduction.verdict().text));
        md.append(String.format("| F0 RMSE | %.1f Hz | %s (%s) |%n", r.pitch().rmseHz(), rmse.target(), rmse.verdict().text));
        md.append(String.format("| F0 correlation | %.3f | — |%n", r.pitch().pearson()));
        md.append(String.format("| voiced/unvoiced error | %.3f | — |%n", r.pitch().vuvErrorRate()));
        md.append(String.format("| frames voiced in both / compared | %d / %d | — |%n%n", r.pitch().voicedBoth(), r.pitch().frames()));
        md.append("| test sentence | transpose, semitones | MCD(A,B), dB | MCD(converted,B), dB |\n|---|---|---|---|\n");
        for (ParallelQualityScenario.Sentence s : r.sentences()) {
            md.append(String.format("| s%02d | %+.0f | %.2f | %.2f |%n", s.index() + 1, s.transposeSemitones(), s.mcdSourceDb(),
                    s.mcdConvertedDb()));
        }
        md.append("\n- Base job metrics: ").append(metrics(r.baseMetrics())).append('\n');
        md.append("- Voice job metrics: ").append(metrics(r.voiceMetrics())).append('\n');
        notes.stream().skip(1).forEach(n -> md.append("- ").append(n).append('\n'));
        return ResultsWriter.Block.of("quality", TITLES.get("quality"), md.toString(), figures, notes);
    }

    private static String metrics(Map<String, Double> metrics) {
        List<String> parts = new ArrayList<>();
        metrics.forEach((k, v) -> parts.add("`" + k + "` " + (v == Math.rint(v) && Math.abs(v) < 1e9
                ? String.format("%.0f", v) : String.format("%.4g", v))));
        return String.join(", ", parts);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temporary folder: best effort
        }
    }
}
