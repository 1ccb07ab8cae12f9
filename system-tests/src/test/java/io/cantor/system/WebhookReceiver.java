package io.cantor.system;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint that receives webhooks, checks every Standard Webhooks signature with the
 * secret it is given, and can refuse the first N requests (or all, while {@code down}) to force retries.
 */
final class WebhookReceiver implements AutoCloseable {
    final List<JsonObject> accepted = new CopyOnWriteArrayList<>();
    final List<String> badSignatures = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    volatile String secret;
    volatile int failFirst;
    volatile boolean down;
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    WebhookReceiver() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            int n = requests.incrementAndGet();
            String id = req.getHeader("webhook-id");
            String timestamp = req.getHeader("webhook-timestamp");
            String signature = req.getHeader("webhook-signature");
            if (secret == null || !signature.equals(expected(secret, id, Long.parseLong(timestamp), body.toString()))) {
                badSignatures.add(id);
                req.response().setStatusCode(401).end();
                return;
            }
            if (down || n <= failFirst) {
                req.response().setStatusCode(503).end();
                return;
            }
            JsonObject event = body.toJsonObject();
            if (!event.getString("id").equals(id)) {
                badSignatures.add("webhook-id " + id + " is not the event id " + event.getString("id"));
            }
            accepted.add(event);
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks";
    }

    /** Accepted event ids of one job, in the order they were accepted, without redelivered duplicates. */
    List<Long> seqs(String jobId) {
        List<Long> seqs = new ArrayList<>();
        for (JsonObject e : accepted) {
            JsonObject d = e.getJsonObject("data");
            if (d.getString("jobId").equals(jobId) && !seqs.contains(d.getLong("seq"))) {
                seqs.add(d.getLong("seq"));
            }
        }
        return seqs;
    }

    static String expected(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        vertx.close();
    }
}
