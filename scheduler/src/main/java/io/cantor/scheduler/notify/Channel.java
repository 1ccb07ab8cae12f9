package io.cantor.scheduler.notify;

/** How a notification travels. */
public enum Channel {
    WEBHOOK,
    EMAIL
}
