package io.cantor.scheduler.notify;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.cantor.scheduler.cluster.LocalCopies;
import io.cantor.model.Ids;
import io.cantor.scheduler.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Webhook subscriptions, their secrets, the delivery queues and logs, all in cluster maps so that
 * any node serves them and a node's death delays deliveries but never drops them.
 */
public final class Notifications {
    public static final String SUBSCRIPTIONS = "webhooks";
    public static final String SECRETS = "webhook-secrets";
    public static final String QUEUES = "deliveries";
    public static final String LOGS = "delivery-log";

    private final Vertx vertx;
    private final IMap<String, TenantWebhooks> subscriptions;
    private final LocalCopies<String, TenantWebhooks> subscriptionCache;
    private final IMap<String, String> secrets;
    private final IMap<DeliveryKey, DeliveryQueue> queues;
    private final IMap<String, DeliveryLog> logs;
    private final TargetGuard guard;
    private final InstantSource clock;

    public Notifications(Vertx vertx, HazelcastInstance hazelcast, TargetGuard guard, InstantSource clock) {
        this.vertx = vertx;
        this.subscriptions = hazelcast.getMap(SUBSCRIPTIONS);
        this.subscriptionCache = new LocalCopies<>(subscriptions, 100_000);
        this.secrets = hazelcast.getMap(SECRETS);
        this.queues = hazelcast.getMap(QUEUES);
        this.logs = hazelcast.getMap(LOGS);
        this.guard = guard;
        this.clock = clock;
    }

    /** A new subscription and its secret, which is shown only now. */
    public record Created(WebhookSubscription subscription, String secret) {
    }

    public Future<Created> subscribe(String tenant, String url, Set<String> events) {
        return checkTarget(url, "url").compose(v -> {
            WebhookSubscription sub = new WebhookSubscription("wh-" + Ids.newId(clock), tenant, url, events, clock.instant());
            String secret = WebhookSigner.newSecret();
            return future(secrets.setAsync(sub.id(), secret))
                    .compose(x -> future(subscriptions.submitToKey(tenant, new SubscriptionProcessors.Add(sub))))
                    .map(added -> {
                        subscriptionCache.forget(tenant);
                        if (!added) {
                            secrets.removeAsync(sub.id());
                            throw ApiException.conflict("too-many-webhooks", "a tenant has at most " + TenantWebhooks.LIMIT + " webhooks");
                        }
                        return new Created(sub, secret);
                    });
        });
    }

    public Future<List<WebhookSubscription>> list(String tenant) {
        return future(subscriptionCache.get(tenant))
                .map(t -> t == null ? List.<WebhookSubscription>of() : t.subscriptions());
    }

    public Future<Optional<WebhookSubscription>> find(String tenant, String id) {
        return list(tenant).map(all -> all.stream().filter(s -> s.id().equals(id)).findFirst());
    }

    public Future<Boolean> unsubscribe(String tenant, String id) {
        return future(subscriptions.submitToKey(tenant, new SubscriptionProcessors.Remove(id)))
                .onSuccess(removed -> subscriptionCache.forget(tenant))
                .compose(removed -> removed ? future(secrets.removeAsync(id)).map(true) : Future.succeededFuture(false));
    }

    /** A per-job webhook: its own secret, returned once in the submission's answer. */
    public Future<String> createJobSecret(String jobId) {
        String secret = WebhookSigner.newSecret();
        return future(secrets.setAsync(jobTarget(jobId), secret)).map(secret);
    }

    public Future<String> secret(String targetId) {
        return future(secrets.getAsync(targetId));
    }

    /** Null if the URL may receive webhooks, else the refusal as a 400 naming {@code field}. */
    public Future<Void> checkTarget(String url, String field) {
        return vertx.executeBlocking(() -> {
            String refusal = guard.refusal(url);
            if (refusal != null) {
                throw ApiException.invalidField(field, refusal);
            }
            return null;
        });
    }

    public TargetGuard guard() {
        return guard;
    }

    public Future<DeliveryQueue> enqueue(DeliveryKey key, Channel channel, String address, String tenant,
                                         List<DeliveryQueue.Pending> events) {
        return future(queues.submitToKey(key, new DeliveryProcessors.Enqueue(key.targetId(), channel, address, tenant,
                key.jobId(), events, clock.millis())));
    }

    public Future<DeliveryQueue> settle(DeliveryKey key, String eventId, boolean pop, long nextAttemptAt) {
        return future(queues.submitToKey(key, new DeliveryProcessors.Settle(eventId, pop, clock.millis(), nextAttemptAt)));
    }

    public Future<Void> log(String targetId, DeliveryAttempt attempt) {
        return future(logs.submitToKey(targetId, new DeliveryProcessors.AppendLog(attempt)));
    }

    public Future<DeliveryLog> deliveries(String targetId) {
        return future(logs.getAsync(targetId)).map(l -> l == null ? new DeliveryLog(List.of()) : l);
    }

    public Future<DeliveryQueue> queue(DeliveryKey key) {
        return future(queues.getAsync(key));
    }

    /** Queues with something to send whose entries this member owns. Blocking: on a worker. */
    public Future<List<java.util.Map.Entry<DeliveryKey, DeliveryQueue>>> ownedQueues() {
        return vertx.executeBlocking(() -> {
            var local = queues.localKeySet();
            List<java.util.Map.Entry<DeliveryKey, DeliveryQueue>> due = new ArrayList<>();
            if (!local.isEmpty()) {
                for (var e : queues.getAll(local).entrySet()) {
                    if (!e.getValue().pending().isEmpty()) {
                        due.add(e);
                    }
                }
            }
            return due;
        });
    }

    public static String jobTarget(String jobId) {
        return "job-" + jobId;
    }

    public static String emailTarget(String jobId) {
        return "email-" + jobId;
    }

    private <T> Future<T> future(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
