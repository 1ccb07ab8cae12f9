package io.cantor.scheduler.api;

import io.cantor.scheduler.auth.ApiKeys;
import io.cantor.scheduler.auth.Principal;
import io.cantor.scheduler.auth.Role;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** Bearer-key authentication and role checks, as route handlers. */
final class Authentication {
    private static final String PRINCIPAL = "cantor.principal";

    private final ApiKeys keys;

    Authentication(ApiKeys keys) {
        this.keys = keys;
    }

    /**
     * Lets the request through with a {@link Principal} that has {@code role}; 401/403 otherwise.
     * Typed as a security-policy handler so that Vert.x Web runs it before any body handler: an
     * unauthenticated client must not get to upload hundreds of megabytes first.
     */
    SecurityPolicyHandler require(Role role) {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
                ctx.fail(unauthenticated("send Authorization: Bearer <api key>"));
                return;
            }
            // The body may be arriving while the key is looked up; hold it until a handler reads it.
            ctx.request().pause();
            keys.authenticate(header.substring(7).trim()).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else if (ar.result().isEmpty()) {
                    ctx.fail(unauthenticated("the API key is unknown or revoked"));
                } else if (!ar.result().get().may(role)) {
                    ctx.fail(new ApiException(403, "forbidden", "Forbidden",
                            "this key lacks the " + role.name().toLowerCase() + " role", List.of()));
                } else {
                    ctx.put(PRINCIPAL, ar.result().get());
                    ctx.next();
                }
            });
        };
    }

    static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("route has no authentication handler");
        }
        return p;
    }

    private static ApiException unauthenticated(String detail) {
        return new ApiException(401, "unauthenticated", "Unauthenticated", detail, List.of());
    }
}
