package io.cantor.scheduler.notify;

import io.cantor.model.json.Json;
import io.cantor.scheduler.events.EventView;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends what the delivery queues owe: the head of each queue this member owns, when due, one at a
 * time per queue (per-job order). Signed webhook POSTs (2xx = delivered) or e-mails through SMTP.
 * Failures are retried with {@link DeliveryBackoff}; every attempt goes to the target's log. A
 * periodic round picks up queues this member gained when another died.
 */
public final class DeliverySender implements PeriodicTask {
    private static final Logger LOG = LoggerFactory.getLogger(DeliverySender.class);

    private final Vertx vertx;
    private final Notifications notifications;
    private final WebClient http;
    private final MailClient mail;
    private final String mailFrom;
    private final String publicUrl;
    private final DeliveryBackoff backoff;
    private final InstantSource clock;
    private final MeterRegistry registry;
    private final Duration period;
    private final Set<DeliveryKey> inFlight = ConcurrentHashMap.newKeySet();

    public DeliverySender(Vertx vertx, Notifications notifications, MailClient mail, String mailFrom, String publicUrl,
                          DeliveryBackoff backoff, InstantSource clock, MeterRegistry registry, Duration period) {
        this.vertx = vertx;
        this.notifications = notifications;
        this.http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000).setIdleTimeout(15)
                .setFollowRedirects(false).setUserAgent("Cantor-Webhooks/1"));
        this.mail = mail;
        this.mailFrom = mailFrom;
        this.publicUrl = publicUrl;
        this.backoff = backoff;
        this.clock = clock;
        this.registry = registry;
        this.period = period;
    }

    @Override
    public String name() {
        return "delivery sender";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<?> runOnce() {
        return notifications.ownedQueues().onSuccess(queues -> {
            for (Map.Entry<DeliveryKey, DeliveryQueue> e : queues) {
                kick(e.getKey(), e.getValue());
            }
        });
    }

    /** Tries the queue's head now if it is due and nobody here is already sending it. */
    public void kick(DeliveryKey key, DeliveryQueue queue) {
        if (queue == null || !queue.isDueAt(clock.millis()) || !inFlight.add(key)) {
            return;
        }
        attempt(key, queue).onComplete(ar -> {
            inFlight.remove(key);
            if (ar.failed()) {
                LOG.warn("delivery to {} failed to settle", key, ar.cause());
            } else if (ar.result() != null && ar.result().isDueAt(clock.millis())) {
                kick(key, ar.result()); // the next event of this job, right away
            }
        });
    }

    private Future<DeliveryQueue> attempt(DeliveryKey key, DeliveryQueue queue) {
        DeliveryQueue.Pending head = queue.pending().get(0);
        long started = System.nanoTime();
        int attemptNo = queue.attempts() + 1;
        Future<Integer> sent = queue.channel() == Channel.WEBHOOK ? postWebhook(queue, head) : sendMail(queue, head);
        return sent.transform(ar -> {
            long millis = (System.nanoTime() - started) / 1_000_000;
            long now = clock.millis();
            if (ar.succeeded()) {
                count("delivered");
                return notifications.log(queue.targetId(), new DeliveryAttempt(head.eventId(), head.type(), queue.jobId(),
                                attemptNo, Instant.ofEpochMilli(now), "delivered", ar.result(), null, millis))
                        .compose(v -> notifications.settle(key, head.eventId(), true, now));
            }
            int status = ar.cause() instanceof Refused r ? r.status : 0;
            String error = ar.cause().getMessage();
            long firstFailure = queue.firstFailureAt() == 0 ? now : queue.firstFailureAt();
            if (backoff.givesUp(firstFailure, now)) {
                count("failed");
                LOG.warn("giving up delivery of {} to {} after {} attempts: {}", head.eventId(), queue.address(), attemptNo, error);
                return notifications.log(queue.targetId(), new DeliveryAttempt(head.eventId(), head.type(), queue.jobId(),
                                attemptNo, Instant.ofEpochMilli(now), "failed", status, error, millis))
                        .compose(v -> notifications.settle(key, head.eventId(), true, now));
            }
            count("retrying");
            long next = now + backoff.delayAfter(attemptNo).toMillis();
            return notifications.log(queue.targetId(), new DeliveryAttempt(head.eventId(), head.type(), queue.jobId(),
                            attemptNo, Instant.ofEpochMilli(now), "retrying", status, error, millis))
                    .compose(v -> notifications.settle(key, head.eventId(), false, next));
        });
    }

    private Future<Integer> postWebhook(DeliveryQueue queue, DeliveryQueue.Pending head) {
        return notifications.secret(queue.targetId()).compose(secret -> {
            if (secret == null) {
                return Future.failedFuture(new Refused(0, "the webhook's secret is gone (subscription deleted?)"));
            }
            return vertx.executeBlocking(() -> notifications.guard().refusal(queue.address())).compose(refusal -> {
                if (refusal != null) {
                    return Future.failedFuture(new Refused(0, "target refused: " + refusal));
                }
                long timestamp = clock.instant().getEpochSecond();
                return http.postAbs(queue.address())
                        .timeout(10_000)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("webhook-id", head.eventId())
                        .putHeader("webhook-timestamp", Long.toString(timestamp))
                        .putHeader("webhook-signature", WebhookSigner.sign(secret, head.eventId(), timestamp, head.body()))
                        .sendBuffer(Buffer.buffer(head.body()))
                        .compose(response -> response.statusCode() / 100 == 2
                                ? Future.succeededFuture(response.statusCode())
                                : Future.failedFuture(new Refused(response.statusCode(), "answered " + response.statusCode())));
            });
        });
    }

    private Future<Integer> sendMail(DeliveryQueue queue, DeliveryQueue.Pending head) {
        if (mail == null) {
            return Future.failedFuture(new Refused(0, "e-mail is not configured"));
        }
        EventView event;
        try {
            event = Json.read(head.body(), EventView.class);
        } catch (java.io.IOException e) {
            return Future.failedFuture(e);
        }
        String link = publicUrl + "/jobs/" + queue.jobId();
        StringBuilder text = new StringBuilder();
        text.append("Your Cantor job ").append(queue.jobId()).append(' ');
        text.append(switch (event.type()) {
            case "job.started" -> "has started on " + event.data().node() + ".";
            case "job.succeeded" -> "has succeeded.";
            case "job.failed" -> "has failed: " + event.data().reason();
            case "job.cancelled" -> "was cancelled.";
            default -> event.type();
        }).append("\n\nJob: ").append(link).append('\n');
        if (event.data().metrics() != null) {
            text.append("\nEvaluation:\n");
            event.data().metrics().forEach((k, v) -> text.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        if (event.data().model() != null) {
            text.append("\nModel: ").append(publicUrl).append(event.data().model()).append('\n');
        }
        MailMessage message = new MailMessage().setFrom(mailFrom).setTo(queue.address())
                .setSubject("Cantor job " + queue.jobId() + ": " + event.type().substring(4))
                .setText(text.toString());
        message.setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-Cantor-Event-Id", head.eventId()));
        return mail.sendMail(message).map(result -> 250);
    }

    private void count(String outcome) {
        Counter.builder("cantor_webhook_deliveries").description("Notification delivery attempts by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** The target answered, but not with success. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
