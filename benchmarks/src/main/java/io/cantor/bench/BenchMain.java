package io.cantor.bench;

/** Entry point of the benchmark suite (see benchmarks/README.md). */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.out.println("no benchmarks yet");
    }
}
