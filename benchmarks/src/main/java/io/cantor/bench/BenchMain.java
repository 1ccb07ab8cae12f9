package io.cantor.bench;

import java.util.Arrays;

/** Entry point of the benchmark suite (see benchmarks/README.md). */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String suite = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (suite) {
            case "http" -> HttpBenchmarks.main(rest);
            case "claim-scale" -> ClaimScaleBenchmark.main(rest);
            case "journal" -> JournalBenchmark.main(rest);
            default -> {
                System.err.println("usage: java -jar benchmarks/target/cantor-benchmarks.jar <suite> [options]");
                System.err.println("  http [--quick] [--out FILE]   HTTP load against scheduler processes (see benchmarks/README.md)");
                System.err.println("  claim-scale [queued...]       claim latency against queue length, in-process");
                System.err.println("  journal                       journal writes per second on embedded H2");
                System.exit(2);
            }
        }
    }
}
