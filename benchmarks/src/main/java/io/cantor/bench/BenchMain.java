package io.cantor.bench;

import java.util.Arrays;

/** Entry point of the benchmark suite (see benchmarks/README.md). */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        // As SchedulerMain: with fewer than two common-pool threads (two cores or fewer), the JDK and
        // Hazelcast complete async operations on a new thread per task, which the in-process
        // benchmarks would measure instead of the scheduler.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
        String suite = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (suite) {
            case "all" -> AllBenchmarks.main(rest);
            case "http" -> HttpBenchmarks.main(rest);
            case "claim-scale" -> ClaimScaleBenchmark.main(rest);
            case "journal" -> JournalBenchmark.main(rest);
            default -> {
                System.err.println("usage: java -jar benchmarks/target/cantor-benchmarks.jar <suite> [options]");
                System.err.println("  all [--quick] [--out FILE] [--only PARTS] [--skip-quality] [--analysis FILE] [--fresh]");
                System.err.println("                                everything, written to benchmarks/RESULTS.md (benchmarks/run runs this)");
                System.err.println("  http [--quick] [--out FILE] [--only SCENARIOS]");
                System.err.println("                                HTTP load against scheduler processes (see benchmarks/README.md)");
                System.err.println("  claim-scale [queued...]       claim latency against queue length, in-process");
                System.err.println("  journal                       journal writes per second on embedded H2");
                System.exit(2);
            }
        }
    }
}
