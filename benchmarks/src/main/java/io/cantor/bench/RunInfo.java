package io.cantor.bench;

/**
 * How, where and when one part of the benchmarks ran, as the bullet list that opens its section:
 * machine (cores, memory, CPU model, Java, load average), command, date and duration, git commit.
 *
 * @param rerun the command that runs this part alone (null: the command is that already)
 */
record RunInfo(String machine, String command, String rerun, String date, String commit, double loadAtStart,
               double loadAtEnd, double seconds) {

    /** A part that starts now; {@link Started#finish()} when it is over. */
    static Started start(String command, String rerun) {
        return new Started(command, rerun, Machine.now(), Machine.loadAverage(), System.nanoTime());
    }

    record Started(String command, String rerun, String date, double loadAtStart, long startNanos) {
        RunInfo finish() {
            return new RunInfo(Machine.describe(), command, rerun, date, Machine.gitCommit(), loadAtStart, Machine.loadAverage(),
                    (System.nanoTime() - startNanos) / 1e9);
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("- Machine: ").append(machine)
                .append(String.format("; load average %.1f at start, %.1f at end", loadAtStart, loadAtEnd)).append('\n');
        md.append("- Command: `").append(command).append('`');
        if (rerun != null && !rerun.equals(command)) {
            md.append(" (this part alone: `").append(rerun).append("`)");
        }
        md.append('\n');
        md.append("- Date: ").append(date).append(", took ").append(duration(seconds)).append('\n');
        md.append("- Git commit: ").append(commit).append('\n');
        return md.toString();
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format("%.0f s", seconds);
        }
        return seconds < 7200 ? String.format("%.1f min", seconds / 60) : String.format("%.2f h", seconds / 3600);
    }
}
