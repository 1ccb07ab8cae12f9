package io.cantor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where and when a benchmark ran: cores, memory, CPU model, Java, load, date, git commit. */
final class Machine {
    private Machine() {
    }

    /** e.g. {@code 2 cores, 23.4 GiB RAM, Intel(R) Xeon(R) ..., OpenJDK 64-Bit Server VM 17.0.15}. */
    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + memory() + " RAM, " + cpuModel() + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }

    /** MemTotal of /proc/meminfo, or the JVM's view of physical memory where there is none. */
    static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format("%.1f GiB", bytes / 1024.0 / 1024.0 / 1024.0);
    }

    /** The first "model name" of /proc/cpuinfo, or os.arch where there is none. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }

    /** {@code git rev-parse --short HEAD}, with "+ local changes" when tracked files differ; "unknown" without git. */
    static String gitCommit() {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null || head.isEmpty()) {
            return "unknown (no git)";
        }
        String changes = git("status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + " + local changes";
    }

    private static String git(String... args) {
        try {
            Process p = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("git"), List.of(args).stream()).toList())
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
