package io.cantor.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.Ids;
import io.cantor.model.json.Json;
import io.cantor.scheduler.auth.ApiKey;
import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.auth.AuditLog;
import io.cantor.scheduler.auth.Principal;
import io.cantor.scheduler.auth.Role;
import io.vertx.ext.web.RoutingContext;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /admin}: API keys and agent tokens (created, listed, revoked) and the audit log. Admin
 * keys are the platform operator's: they manage every tenant's keys and the fleet.
 */
final class AdminApi {
    private final ApiKeys keys;
    private final AuditLog audit;

    AdminApi(ApiKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    /** {@code POST /admin/keys} {@code {"tenant": "acme", "roles": ["submit", "read"]}}: 201 with the secret, shown once. */
    void create(RoutingContext ctx) {
        Principal actor = Authentication.principal(ctx);
        JsonNode body = Bodies.parse(ctx.body().buffer().getBytes(), JsonNode.class, "");
        String tenant = body.path("tenant").asText();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode r : body.path("roles")) {
            roles.add(Role.valueOf(r.asText().toUpperCase()));
        }
        if (roles.contains(Role.AGENT) && roles.size() > 1) {
            throw ApiException.invalidField("roles", "an agent token has the agent role alone");
        }
        keys.create(tenant, roles)
                .compose(issued -> audit.record(actor, "key.created", issued.key().id(), tenant + " " + roles).map(issued))
                .onSuccess(issued -> {
                    Map<String, Object> view = view(issued.key());
                    view.put("key", issued.secret());
                    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                            .putHeader("Location", "/admin/keys/" + issued.key().id()).end(Json.write(view));
                })
                .onFailure(ctx::fail);
    }

    /** {@code GET /admin/keys[?tenant=]}: never the secrets. */
    void list(RoutingContext ctx) {
        keys.list(ctx.queryParams().get("tenant"))
                .onSuccess(all -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(Json.write(Map.of("items", all.stream().map(AdminApi::view).toList()))))
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /admin/keys/{id}}: the key stops working at once, everywhere. */
    void revoke(RoutingContext ctx) {
        Principal actor = Authentication.principal(ctx);
        String id = ctx.pathParam("id");
        if (!Ids.isWellFormed(id)) {
            throw ApiException.notFound("no key " + id);
        }
        keys.revoke(id)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("no key " + id)))
                .compose(key -> audit.record(actor, "key.revoked", key.id(), key.tenant()).map(key))
                .onSuccess(key -> ctx.response().putHeader("Content-Type", "application/json").end(Json.write(view(key))))
                .onFailure(ctx::fail);
    }

    /** {@code GET /admin/audit[?limit=]}: newest first. */
    void audit(RoutingContext ctx) {
        String limit = ctx.queryParams().get("limit");
        audit.latest(limit == null ? 100 : Integer.parseInt(limit))
                .onSuccess(entries -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(Json.write(Map.of("items", entries))))
                .onFailure(ctx::fail);
    }

    private static Map<String, Object> view(ApiKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("tenant", key.tenant());
        view.put("roles", key.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList());
        view.put("createdAt", key.createdAt());
        if (key.revokedAt() != null) {
            view.put("revokedAt", key.revokedAt());
        }
        return view;
    }
}
