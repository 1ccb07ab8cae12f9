package io.cantor.bench;

import io.cantor.rvc.eval.F0Metrics;
import io.cantor.rvc.eval.ParallelQualityScenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic and the file layout of the results, without running any benchmark. */
class ResultsWriterTest {

    private static Figure figure(String name, String format, double... runs) {
        Figure f = new Figure(name, format);
        for (double v : runs) {
            f.add(v);
        }
        return f;
    }

    @Test
    void figuresPrintMedianMinAndMaxAndAreJudgedByTheirMedian() {
        Figure e2e = figure("jobs/s", "%.0f", 2500, 1500, 2100).target("≥ 2,000", v -> v >= 2000);
        assertEquals("2100 (1500..2500)", e2e.value());
        assertEquals(Figure.Verdict.MET, e2e.verdict());
        // one run above the target does not make the figure meet it
        Figure slow = figure("jobs/s", "%.0f", 2500, 1500, 1900).target("≥ 2,000", v -> v >= 2000);
        assertEquals(Figure.Verdict.NOT_MET, slow.verdict());
        assertEquals("1.50 (1.00..3.00)", Stats.summary(List.of(3.0, 1.0, 1.0, 2.0), "%.2f"), "even count: mean of the middle two");
        assertEquals("7.0", figure("one", "%.1f", 7).value());
        assertEquals(Figure.Verdict.NO_TARGET, figure("x", "%.0f", 1).verdict());
        Figure none = new Figure("y", "%.0f").target("≤ 50", v -> v <= 50);
        assertEquals(Figure.Verdict.NOT_MEASURED, none.verdict());
        assertEquals("not measured", none.value());
    }

    @Test
    void claimLatencyRatioAndHeapTargetsComeFromTheNumbers() {
        List<ClaimScaleBenchmark.SizeResult> results = List.of(
                new ClaimScaleBenchmark.SizeResult(1_000, List.of(100.0, 110.0, 120.0), List.of(400.0, 500.0, 600.0),
                        List.of(15000.0), List.of(1.0), 10),
                new ClaimScaleBenchmark.SizeResult(1_000_000, List.of(150.0, 160.0, 170.0), List.of(1200.0, 1300.0, 1400.0),
                        List.of(1900.0, 2100.0, 2000.0), List.of(300.0), 900));
        Map<String, Figure> byName = new LinkedHashMap<>();
        AllBenchmarks.claimFigures(results).forEach(f -> byName.put(f.name(), f));
        Figure p50 = byName.get("Claim latency p50 at 1,000,000 queued ÷ at 1,000");
        assertEquals(160.0 / 110.0, p50.runs().get(0), 1e-9);
        assertEquals(Figure.Verdict.MET, p50.verdict());
        assertEquals(Figure.Verdict.NOT_MET, byName.get("Claim latency p99 at 1,000,000 queued ÷ at 1,000").verdict(), "2.6x");
        assertEquals(Figure.Verdict.MET, byName.get("Heap per queued job at 1,000,000 queued, bytes").verdict(), "median 2000 ≤ 2048");
        assertEquals(Figure.Verdict.NO_TARGET, byName.get("Heap per queued job at 1,000 queued, bytes").verdict(),
                "at 1k the fixed working set dominates");
    }

    @Test
    void theQualityBarIsIssueFoursAndIsJudgedFromTheMeasuredFigures() {
        ResultsWriter.Block good = AllBenchmarks.qualityBlock(quality(5.41, 4.30, 2.8), info(), false);
        assertTrue(good.summaryRows().get(2).contains("| 20.5 |") && good.summaryRows().get(2).contains("| met |"), good.summaryRows().get(2));
        assertTrue(good.summaryRows().get(3).contains("| met |"), good.summaryRows().get(3));
        ResultsWriter.Block bad = AllBenchmarks.qualityBlock(quality(5.41, 4.80, 25.0), info(), false);
        assertTrue(bad.summaryRows().get(2).contains("**not met**"), bad.summaryRows().get(2));
        assertTrue(bad.summaryRows().get(3).contains("**not met**"), bad.summaryRows().get(3));
        assertTrue(bad.section().contains("A single seeded run"), bad.section());
    }

    private static ParallelQualityScenario.Result quality(double before, double after, double rmse) {
        return new ParallelQualityScenario.Result(ParallelQualityScenario.Plan.of("small"), before, after,
                new F0Metrics.Result(rmse, 20, 0.99, 0.1, 500, 600),
                List.of(new ParallelQualityScenario.Sentence(20, 13, before, after)), Map.of("steps", 40.0),
                Map.of("steps", 300.0, "final_loss", 10.5), 10, 100, 600, 20);
    }

    private static RunInfo info() {
        return new RunInfo("2 cores", "benchmarks/run", "benchmarks/run --only quality", "2026-01-01 00:00 UTC", "abc1234", 1, 2, 60);
    }

    @Test
    void theFileHasTheSummaryTheAnalysisAndTheSectionsAndCarriesPartsOver() {
        Figure e2e = figure("End-to-end jobs/s", "%.0f", 1500, 1600, 1700).target("≥ 2,000", v -> v >= 2000)
                .anchors(Anchors.END_TO_END);
        ResultsWriter.Block http = ResultsWriter.Block.of("http", "HTTP load", "## HTTP load\n\n" + info().markdown(),
                List.of(e2e), List.of());
        Map<String, ResultsWriter.Block> blocks = new LinkedHashMap<>();
        blocks.put("http", http);
        List<String> order = List.of("http", "quality");
        Map<String, String> titles = Map.of("http", "HTTP load", "quality", "RVC quality");
        ResultsWriter.Header header = new ResultsWriter.Header("benchmarks/run", "2026-01-01 00:00 UTC", 4000, "2 cores", "abc1234",
                false, false);
        String md = ResultsWriter.write(header, order, blocks, titles, Map.of("quality", "--skip-quality"), "# Analysis\n\nThe CPU.\n\n## Submissions\n\n```\n# not a heading\n```\n",
                "benchmarks/ANALYSIS.md");
        assertTrue(md.contains("| HTTP load | End-to-end jobs/s | 1600 (1500..1700) | 3 | ≥ 2,000 | **not met** | JobRunr"), md);
        assertTrue(md.contains("- RVC quality: not run (--skip-quality)."), md);
        assertTrue(md.contains("## What limits the figures\n"), md);
        assertTrue(md.contains("### Analysis\n\nThe CPU.\n\n#### Submissions\n\n```\n# not a heading\n```"), md);
        assertTrue(md.indexOf("## What limits the figures") < md.indexOf("## HTTP load"), "the analysis comes before the details");

        Map<String, ResultsWriter.Block> carried = ResultsWriter.carriedBlocks(md);
        assertEquals(List.of("http"), List.copyOf(carried.keySet()));
        assertEquals(http.summaryRows(), carried.get("http").summaryRows());
        assertEquals(http.section().strip(), carried.get("http").section().strip());
        assertTrue(carried.get("http").carried());
        String again = ResultsWriter.write(header, order, carried, titles, Map.of(), null, "benchmarks/ANALYSIS.md");
        assertTrue(again.contains("| HTTP load (earlier run) | End-to-end jobs/s | 1600 (1500..1700)"), again);
        assertTrue(again.contains("_No `benchmarks/ANALYSIS.md` yet"), again);
    }

    @Test
    void optionsSelectPartsAndNameTheCommandThatRerunsOne() {
        AllBenchmarks.Options o = AllBenchmarks.Options.parse(new String[]{"--quick", "--skip-quality", "--out", "/tmp/r.md"}, "benchmarks/run");
        assertEquals(List.of("http", "claim-scale", "training", "preprocess"), o.parts());
        AllBenchmarks.Options quick = AllBenchmarks.Options.parse(new String[]{"--quick"}, "benchmarks/run");
        assertEquals(List.of("http", "claim-scale", "training", "preprocess"), quick.parts(), "quick mode leaves the quality run out");
        assertTrue(quick.notRunBecause("quality").contains("--quick --only quality"), quick.notRunBecause("quality"));
        assertEquals(List.of("quality"), AllBenchmarks.Options.parse(new String[]{"--quick", "--only", "quality"}, "x").parts());
        assertEquals("benchmarks/run --quick --skip-quality --out /tmp/r.md", o.command());
        assertEquals("benchmarks/run --quick --out /tmp/r.md --only training", o.rerun("training"));
        assertEquals(Path.of("benchmarks/ANALYSIS.md"), o.analysis());
        AllBenchmarks.Options only = AllBenchmarks.Options.parse(new String[]{"--only", "quality,http"}, "benchmarks/run");
        assertEquals(List.of("http", "quality"), only.parts(), "suite order, whatever the order given");
        assertFalse(only.quick());
        assertThrows(IllegalArgumentException.class, () -> AllBenchmarks.Options.parse(new String[]{"--only", "gpu"}, "x"));
        assertThrows(IllegalArgumentException.class, () -> AllBenchmarks.Options.parse(new String[]{"--out"}, "x"));
    }
}
