package io.cantor.scheduler.notify;

import java.time.Instant;
import java.util.Set;

/**
 * A tenant's webhook: every event of the tenant's jobs (or only {@code events}) is POSTed to
 * {@code url}, signed with the subscription's secret (kept apart, shown once at creation).
 */
public record WebhookSubscription(String id, String tenant, String url, Set<String> events, Instant createdAt) {
    public WebhookSubscription {
        events = events == null ? Set.of() : Set.copyOf(events);
    }

    public boolean wants(String type) {
        return events.isEmpty() || events.contains(type);
    }
}
