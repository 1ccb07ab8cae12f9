package io.cantor.scheduler.notify;

import io.cantor.model.Job;
import io.cantor.model.JobEvent;
import io.cantor.model.json.Json;
import io.cantor.scheduler.events.EventSink;
import io.cantor.scheduler.events.EventView;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a job's new events into queued deliveries: to each of the tenant's webhooks that wants
 * them, to the job's own webhook, and (start and end only) to its e-mail address. Then asks the
 * sender to try at once; the queue makes that at-least-once.
 */
public final class NotificationSink implements EventSink {
    private final Notifications notifications;
    private final DeliverySender sender;
    private final boolean emailEnabled;

    public NotificationSink(Notifications notifications, DeliverySender sender, boolean emailEnabled) {
        this.notifications = notifications;
        this.sender = sender;
        this.emailEnabled = emailEnabled;
    }

    /** Queueing is idempotent: a queue remembers the last seq it took. */
    @Override
    public boolean takesEventsIdempotently() {
        return true;
    }

    @Override
    public Future<Void> accept(Job job, List<JobEvent> fresh) {
        return notifications.list(job.tenant()).compose(subscriptions -> {
            List<Future<?>> queued = new ArrayList<>();
            for (WebhookSubscription sub : subscriptions) {
                queued.add(queue(job, fresh, sub.id(), Channel.WEBHOOK, sub.url(), e -> sub.wants(e.type())));
            }
            String url = job.spec().notifications().webhookUrl();
            if (url != null) {
                queued.add(queue(job, fresh, Notifications.jobTarget(job.id()), Channel.WEBHOOK, url, e -> true));
            }
            String email = job.spec().notifications().email();
            if (email != null && emailEnabled) {
                queued.add(queue(job, fresh, Notifications.emailTarget(job.id()), Channel.EMAIL, email,
                        e -> JobEvent.STARTED.equals(e.type()) || e.endsJob()));
            }
            return Future.all(queued).mapEmpty();
        });
    }

    private Future<Void> queue(Job job, List<JobEvent> fresh, String targetId, Channel channel, String address,
                               Predicate<JobEvent> wanted) {
        List<DeliveryQueue.Pending> events = fresh.stream().filter(wanted)
                .map(e -> new DeliveryQueue.Pending(e.id(job.id()), e.type(), e.seq(),
                        Json.write(EventView.of(job.id(), job.tenant(), e))))
                .toList();
        if (events.isEmpty()) {
            return Future.succeededFuture();
        }
        DeliveryKey key = new DeliveryKey(targetId, job.id());
        return notifications.enqueue(key, channel, address, job.tenant(), events).onSuccess(q -> sender.kick(key, q))
                .mapEmpty();
    }
}
