package io.cantor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;

/** Follows a job to its end and draws its progress: state, stage, epoch bar, loss, ETA. */
final class Watcher {
    private static final int BAR = 24;

    private final CantorClient client;
    private final PrintStream out;

    Watcher(CantorClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** @return 0 if the job succeeded, 1 if it failed or was cancelled */
    int watch(String id) throws IOException, InterruptedException {
        String last = "";
        while (true) {
            JsonNode job = client.job(id);
            String line = line(job);
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
            String state = job.path("state").asText();
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                out.println(summary(job));
                return state.equals("SUCCEEDED") ? 0 : 1;
            }
            Thread.sleep(1000);
        }
    }

    static String line(JsonNode job) {
        String state = job.path("state").asText();
        JsonNode p = job.path("progress");
        StringBuilder s = new StringBuilder(String.format("%-9s", state));
        if (!p.isMissingNode() && (state.equals("RUNNING") || state.equals("ASSIGNED"))) {
            s.append(' ').append(p.path("stage").asText());
            int epochs = p.path("epochs").asInt();
            if (epochs > 0) {
                int epoch = p.path("epoch").asInt();
                int filled = (int) Math.round((double) BAR * epoch / epochs);
                s.append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                        .append(epoch).append('/').append(epochs);
            }
            if (p.hasNonNull("loss")) {
                s.append(String.format(" loss %.4f", p.path("loss").asDouble()));
            }
            long eta = p.path("etaSeconds").asLong(-1);
            if (eta >= 0) {
                s.append(String.format(" eta %d:%02d", eta / 60, eta % 60));
            }
        }
        if (job.hasNonNull("reason") && !state.equals("SUCCEEDED")) {
            s.append(" (").append(job.path("reason").asText()).append(')');
        }
        return s.toString();
    }

    static String summary(JsonNode job) {
        StringBuilder s = new StringBuilder(job.path("id").asText() + " " + job.path("state").asText());
        s.append(", attempt ").append(job.path("attempt").asInt()).append('/').append(job.path("maxAttempts").asInt());
        if (job.path("lease").hasNonNull("node")) {
            s.append(", node ").append(job.path("lease").path("node").asText());
        }
        if (job.hasNonNull("reason")) {
            s.append("\n  reason: ").append(job.path("reason").asText());
        }
        JsonNode metrics = job.path("result").path("metrics");
        metrics.fields().forEachRemaining(e -> {
            double v = e.getValue().asDouble();
            s.append("\n  ").append(e.getKey()).append(": ")
                    .append(v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format("%.4f", v));
        });
        if (job.path("links").hasNonNull("model")) {
            s.append("\n  model: ").append(job.path("links").path("model").asText());
        }
        return s.toString();
    }
}
