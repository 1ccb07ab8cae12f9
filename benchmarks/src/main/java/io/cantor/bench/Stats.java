package io.cantor.bench;

import java.util.Arrays;
import java.util.List;

/** Small statistics helpers: percentiles of samples, and median/min/max across repeated runs. */
final class Stats {
    private Stats() {
    }

    static double percentile(long[] samples, double p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** "median (min..max)" of repeated runs' figures. */
    static String summary(List<Double> runs, String format) {
        double[] v = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(format, median) + " (" + String.format(format, v[0]) + ".." + String.format(format, v[v.length - 1]) + ")";
    }

    static double median(List<Double> runs) {
        double[] v = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
