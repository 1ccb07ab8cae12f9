package io.cantor.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.JobEvent;
import io.cantor.model.json.Json;
import io.cantor.scheduler.auth.Principal;
import io.cantor.scheduler.notify.Notifications;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /webhooks}: a tenant's webhook subscriptions and their delivery logs. */
final class WebhooksApi {
    static final Set<String> EVENT_TYPES = Set.of(JobEvent.QUEUED, JobEvent.STARTED, JobEvent.PROGRESS,
            JobEvent.CHECKPOINTED, JobEvent.REQUEUED, JobEvent.SUCCEEDED, JobEvent.FAILED, JobEvent.CANCELLED);

    private final Notifications notifications;

    WebhooksApi(Notifications notifications) {
        this.notifications = notifications;
    }

    /** {@code POST /webhooks} {@code {"url": "...", "events": ["job.succeeded", ...]}}: 201 with the secret, shown once. */
    void create(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        JsonNode body = Bodies.parse(jsonBody(ctx), JsonNode.class, "");
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("url") && !name.equals("events")) {
                throw ApiException.invalidField(name, "is not a known field (send url and events)");
            }
        });
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual() || url.asText().length() > 2000) {
            throw ApiException.invalidField("url", "is required: the http(s) URL to POST events to");
        }
        Set<String> events = new HashSet<>();
        JsonNode list = body.get("events");
        if (list != null) {
            if (!list.isArray()) {
                throw ApiException.invalidField("events", "must be a list of event types");
            }
            for (JsonNode e : list) {
                if (!e.isTextual() || !EVENT_TYPES.contains(e.asText())) {
                    throw ApiException.invalidField("events", "event types are " + new java.util.TreeSet<>(EVENT_TYPES));
                }
                events.add(e.asText());
            }
        }
        notifications.subscribe(principal.tenant(), url.asText(), events).onSuccess(created -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", created.subscription().id());
            view.put("url", created.subscription().url());
            view.put("events", created.subscription().events());
            view.put("createdAt", created.subscription().createdAt());
            view.put("secret", created.secret());
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/webhooks/" + created.subscription().id()).end(Json.write(view));
        }).onFailure(ctx::fail);
    }

    void list(RoutingContext ctx) {
        notifications.list(Authentication.principal(ctx).tenant())
                .onSuccess(all -> ctx.response().putHeader("Content-Type", "application/json").end(Json.write(Map.of("items", all))))
                .onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        notifications.unsubscribe(Authentication.principal(ctx).tenant(), id).onSuccess(removed -> {
            if (!removed) {
                ctx.fail(ApiException.notFound("no webhook " + id));
            } else {
                ctx.response().setStatusCode(204).end();
            }
        }).onFailure(ctx::fail);
    }

    /** {@code GET /webhooks/{id}/deliveries}: the latest attempts, newest last. */
    void deliveries(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        notifications.find(Authentication.principal(ctx).tenant(), id)
                .compose(found -> {
                    if (found.isEmpty()) {
                        throw ApiException.notFound("no webhook " + id);
                    }
                    return notifications.deliveries(id);
                })
                .onSuccess(log -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(Json.write(Map.of("items", log.attempts()))))
                .onFailure(ctx::fail);
    }

    private static byte[] jsonBody(RoutingContext ctx) {
        if (!Bodies.isJson(ctx)) {
            throw ApiException.unsupportedMediaType("send Content-Type: application/json");
        }
        var body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        return body.getBytes();
    }
}
