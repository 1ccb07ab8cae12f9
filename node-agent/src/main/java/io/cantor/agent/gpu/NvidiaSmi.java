package io.cantor.agent.gpu;

import io.cantor.model.agent.GpuInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads GPUs through {@code nvidia-smi --query-gpu ... --format=csv} (NVML underneath). Absent
 * binary or broken output means "no GPUs", never a crash; malformed lines are skipped and logged.
 */
public final class NvidiaSmi {
    private static final Logger LOG = LoggerFactory.getLogger(NvidiaSmi.class);
    static final String INVENTORY_FIELDS = "index,name,memory.total,uuid";
    static final String READING_FIELDS = "index,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw";

    private final String binary;

    public NvidiaSmi(String binary) {
        this.binary = binary;
    }

    public static NvidiaSmi onPath() {
        return new NvidiaSmi("nvidia-smi");
    }

    /** The GPUs on this host, or none. */
    public List<GpuInfo> inventory() {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String[] row : query(INVENTORY_FIELDS, 4)) {
            try {
                gpus.add(new GpuInfo(Integer.parseInt(row[0]), row[1], (long) Double.parseDouble(row[2]), row[3]));
            } catch (NumberFormatException e) {
                LOG.warn("skipping malformed nvidia-smi line: {}", String.join(", ", row));
            }
        }
        return gpus;
    }

    /** One reading per GPU: utilisation %, memory used/total MiB, temperature °C, power W (NaN if unknown). */
    public List<GpuReading> readings() {
        List<GpuReading> readings = new ArrayList<>();
        for (String[] row : query(READING_FIELDS, 7)) {
            try {
                readings.add(new GpuReading(Integer.parseInt(row[0]), row[1], number(row[2]), number(row[3]),
                        number(row[4]), number(row[5]), number(row[6])));
            } catch (NumberFormatException e) {
                LOG.warn("skipping malformed nvidia-smi line: {}", String.join(", ", row));
            }
        }
        return readings;
    }

    /** nvidia-smi prints "[N/A]" or "[Not Supported]" for fields a GPU lacks. */
    private static double number(String field) {
        return field.startsWith("[") ? Double.NaN : Double.parseDouble(field);
    }

    private List<String[]> query(String fields, int columns) {
        List<String[]> rows = new ArrayList<>();
        Process process;
        try {
            process = new ProcessBuilder(binary, "--query-gpu=" + fields, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return rows; // no nvidia-smi: a CPU node
        }
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                LOG.warn("nvidia-smi failed: {}", out.strip());
                return rows;
            }
            for (String line : out.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (cells.length != columns) {
                    LOG.warn("skipping malformed nvidia-smi line: {}", line.strip());
                    continue;
                }
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].trim();
                }
                rows.add(cells);
            }
        } catch (IOException e) {
            LOG.warn("cannot read nvidia-smi output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroy();
        }
        return rows;
    }

    public record GpuReading(int index, String uuid, double utilizationPercent, double memoryUsedMib,
                             double memoryTotalMib, double temperatureCelsius, double powerWatts) {
    }
}
