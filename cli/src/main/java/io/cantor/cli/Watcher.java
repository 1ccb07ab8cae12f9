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

    /**
     * Follows the job's server-sent events (no polling), reconnecting with {@code Last-Event-ID}
     * if the connection drops, and prints a line per change.
     *
     * @return 0 if the job succeeded, 1 if it failed or was cancelled
     */
    int watch(String id) throws IOException, InterruptedException {
        String[] last = {null};
        String[] state = {null};
        int failures = 0;
        while (state[0] == null) {
            try {
                client.events(id, last[0], (event, eventId, data) -> {
                    last[0] = eventId;
                    JsonNode e = io.cantor.model.json.Json.mapper().readTree(data);
                    out.println(eventLine(e));
                    if (event.equals("job.succeeded") || event.equals("job.failed") || event.equals("job.cancelled")) {
                        state[0] = e.path("data").path("state").asText();
                        return false;
                    }
                    return true;
                });
            } catch (CantorClient.CliException e) {
                throw e; // the server refused (unknown job, bad key): no point in retrying
            } catch (IOException e) {
                if (++failures > 30) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
        JsonNode job = client.job(id);
        out.println(summary(job));
        return "SUCCEEDED".equals(job.path("state").asText()) ? 0 : 1;
    }

    static String eventLine(JsonNode event) {
        JsonNode d = event.path("data");
        String type = event.path("type").asText().replace("job.", "");
        StringBuilder s = new StringBuilder(String.format("%-12s", type));
        JsonNode p = d.path("progress");
        if (!p.isMissingNode() && !p.isNull()) {
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
        if (d.hasNonNull("node") && type.equals("started")) {
            s.append(" on ").append(d.path("node").asText()).append(" (attempt ").append(d.path("attempt").asInt()).append(')');
        }
        if (d.hasNonNull("checkpointEpoch")) {
            s.append(" after epoch ").append(d.path("checkpointEpoch").asInt());
        }
        if (d.hasNonNull("reason")) {
            s.append(" (").append(d.path("reason").asText()).append(')');
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
