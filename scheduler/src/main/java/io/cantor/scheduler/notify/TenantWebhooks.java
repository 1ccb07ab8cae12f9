package io.cantor.scheduler.notify;

import java.util.List;

/** All webhooks of one tenant, in one cluster entry: few per tenant, read on every relayed event. */
public record TenantWebhooks(List<WebhookSubscription> subscriptions) {
    public static final int LIMIT = 20;

    public TenantWebhooks {
        subscriptions = List.copyOf(subscriptions);
    }
}
