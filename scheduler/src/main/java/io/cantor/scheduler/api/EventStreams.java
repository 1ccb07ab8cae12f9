package io.cantor.scheduler.api;


import io.cantor.model.JobEvent;
import io.cantor.model.json.Json;
import io.cantor.scheduler.auth.Principal;
import io.cantor.scheduler.events.EventLog;
import io.cantor.scheduler.events.EventRelay;
import io.cantor.scheduler.events.EventView;
import io.cantor.scheduler.events.JobHistory;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Server-sent events: {@code GET /jobs/{id}/events} (ids are the job's event seq; the stream
 * ends after the job's last event) and {@code GET /events} (the tenant's; ids are the tenant
 * stream's sequence). {@code Last-Event-ID} resumes after that id with no gap and no repeat, on
 * any node: the stream subscribes to live events first, then replays what is stored, then
 * continues live, skipping what it already sent.
 */
final class EventStreams {
    private static final long KEEPALIVE_MS = 15_000;

    private final Vertx vertx;
    private final JobsApi jobs;
    private final EventLog log;

    EventStreams(Vertx vertx, JobsApi jobs, EventLog log) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.log = log;
    }

    void jobEvents(RoutingContext ctx) {
        long after = lastEventId(ctx);
        jobs.ownJob(ctx).onSuccess(job -> {
            HttpServerResponse response = open(ctx);
            Stream stream = new Stream(response, after);
            MessageConsumer<String> live = vertx.eventBus().consumer(EventRelay.JOB_ADDRESS + job.id(), message -> {
                EventView view = read(message.body());
                stream.offer(view.data().seq(), view.type(), message.body());
            });
            stream.closeWith(live);
            live.completion()
                    .compose(v -> log.history(job.id()))
                    .onSuccess(history -> stream.replay(history.map(JobHistory::events).orElse(List.<JobEvent>of()).stream()
                            .map(e -> new Item(e.seq(), e.type(), Json.write(EventView.of(job.id(), job.tenant(), e))))
                            .toList()))
                    .onFailure(e -> response.reset());
        }).onFailure(ctx::fail);
    }

    void tenantEvents(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        long after = lastEventId(ctx);
        HttpServerResponse response = open(ctx);
        Stream stream = new Stream(response, after);
        stream.endsWithJob = false;
        MessageConsumer<String> live = vertx.eventBus().consumer(EventRelay.TENANT_ADDRESS + principal.tenant(), message -> {
            JsonObject m = new JsonObject(message.body());
            String event = m.getString("event");
            stream.offer(m.getLong("seq"), read(event).type(), event);
        });
        stream.closeWith(live);
        live.completion()
                .compose(v -> replayTenant(principal.tenant(), after + 1, new ArrayList<>()))
                .onSuccess(stream::replay)
                .onFailure(e -> response.reset());
    }

    /** Reads the tenant's stored stream from {@code from} to its end, in pages. */
    private io.vertx.core.Future<List<Item>> replayTenant(String tenant, long from, List<Item> acc) {
        return log.readTenantStream(tenant, from, 500).compose(page -> {
            long seq = page.getNextSequenceToReadFrom() - page.size();
            for (String event : page) {
                acc.add(new Item(seq++, read(event).type(), event));
            }
            return page.size() < 500 ? io.vertx.core.Future.succeededFuture(acc)
                    : replayTenant(tenant, page.getNextSequenceToReadFrom(), acc);
        });
    }

    private HttpServerResponse open(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": stream open\n\n");
        return response;
    }

    private static long lastEventId(RoutingContext ctx) {
        String value = ctx.request().getHeader("Last-Event-ID");
        if (value == null) {
            value = ctx.queryParams().get("lastEventId");
        }
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidField("Last-Event-ID", "must be an id this stream sent");
        }
    }

    private static EventView read(String json) {
        try {
            return Json.read(json, EventView.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an event on the bus does not parse", e);
        }
    }

    private record Item(long id, String type, String json) {
    }

    /** One client's stream: buffers live events until the replay is written, then writes each id once, in order. */
    private final class Stream {
        private final HttpServerResponse response;
        private final List<Item> early = new ArrayList<>();
        private long lastWritten;
        private boolean replayed;
        private boolean ended;
        boolean endsWithJob = true;
        private MessageConsumer<String> consumer;
        private long keepalive;

        Stream(HttpServerResponse response, long after) {
            this.response = response;
            this.lastWritten = after;
            this.keepalive = vertx.setPeriodic(KEEPALIVE_MS, t -> {
                if (!ended) {
                    response.write(": keepalive\n\n");
                }
            });
            response.closeHandler(v -> end(false));
        }

        void closeWith(MessageConsumer<String> live) {
            this.consumer = live;
        }

        void offer(long id, String type, String json) {
            if (ended) {
                return;
            }
            if (!replayed) {
                early.add(new Item(id, type, json));
                return;
            }
            write(new Item(id, type, json));
        }

        void replay(List<Item> stored) {
            for (Item item : stored) {
                write(item);
                if (endsWithJob && item.id() <= lastWritten && isLast(item.type())) {
                    end(true); // the client saw the job's last event before reconnecting
                    return;
                }
            }
            replayed = true;
            early.sort(java.util.Comparator.comparingLong(Item::id));
            for (Item item : early) {
                write(item);
            }
            early.clear();
        }

        private void write(Item item) {
            if (ended || item.id() <= lastWritten) {
                return;
            }
            response.write("id: " + item.id() + "\nevent: " + item.type() + "\ndata: " + item.json() + "\n\n");
            lastWritten = item.id();
            if (endsWithJob && isLast(item.type())) {
                end(true);
            }
        }

        private static boolean isLast(String type) {
            return type.equals(JobEvent.SUCCEEDED) || type.equals(JobEvent.FAILED) || type.equals(JobEvent.CANCELLED);
        }

        private void end(boolean finishResponse) {
            if (ended) {
                return;
            }
            ended = true;
            vertx.cancelTimer(keepalive);
            if (consumer != null) {
                consumer.unregister();
            }
            if (finishResponse && !response.ended()) {
                response.end();
            }
        }
    }

}
