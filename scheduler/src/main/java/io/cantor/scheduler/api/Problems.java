package io.cantor.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cantor.model.FieldError;
import io.cantor.model.IllegalTransitionException;
import io.cantor.model.StaleLeaseException;
import io.cantor.model.json.Json;
import io.cantor.scheduler.blob.BlobNotFoundException;
import io.cantor.scheduler.store.JobNotFoundException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns every failure into an RFC 9457 problem+json answer; never a stack trace, never a 500 for bad input. */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://cantor.dev/problems/";

    private Problems() {
    }

    /** The router's failure handler. */
    public static void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        ApiException problem = toProblem(failure, status, ctx);
        if (problem.status() >= 500) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        }
        if (!ctx.request().isEnded()) {
            // Refused before its body was read (e.g. no key on an upload): read no further, but let
            // the client finish sending (see discardThenEnd), or it may never see the answer.
            ctx.response().putHeader("Connection", "close");
            ctx.response().endHandler(v -> discardThenEnd(ctx.vertx(), ctx.request()));
        }
        send(ctx.response(), problem, ctx.request().path());
    }

    /**
     * Closing a connection with unread bytes makes the kernel reset it, and the client can lose the
     * answer it has not read yet; never reading them leaves a client stuck sending. So, like a web
     * server's lingering close: read and discard what is still arriving, for at most
     * {@link #LINGER_MS} or {@link #LINGER_BYTES}, then close the connection (the server speaks HTTP/1.1 only).
     */
    private static void discardThenEnd(io.vertx.core.Vertx vertx, io.vertx.core.http.HttpServerRequest request) {
        Runnable end = () -> request.connection().close();
        long timer = vertx.setTimer(LINGER_MS, t -> end.run());
        long[] discarded = {0};
        try {
            request.handler(chunk -> {
                discarded[0] += chunk.length();
                if (discarded[0] > LINGER_BYTES && vertx.cancelTimer(timer)) {
                    end.run();
                }
            });
            request.endHandler(done -> {
                if (vertx.cancelTimer(timer)) {
                    request.connection().close();
                }
            });
            request.resume();
        } catch (IllegalStateException alreadyRead) {
            vertx.cancelTimer(timer);
            end.run();
        }
    }

    private static final long LINGER_MS = 2000;
    private static final long LINGER_BYTES = 64L << 20;

    static ApiException toProblem(Throwable failure, int status, RoutingContext ctx) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof JobNotFoundException e) {
            return ApiException.notFound(e.getMessage());
        }
        if (failure instanceof StaleLeaseException e) {
            return ApiException.conflict("stale-lease", e.getMessage());
        }
        if (failure instanceof IllegalTransitionException e) {
            return ApiException.conflict("illegal-transition", e.getMessage());
        }
        if (failure instanceof BlobNotFoundException e) {
            return ApiException.notFound(e.getMessage());
        }
        if (failure instanceof JsonProcessingException e) {
            return ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
        if (failure instanceof io.vertx.core.json.DecodeException e) {
            return ApiException.badRequest("malformed JSON: " + e.getMessage());
        }
        if (failure != null && failure.getClass().getName().startsWith("io.netty.handler.codec.")) {
            // Netty's decoders refuse malformed framing: too long form fields, broken multipart, bad headers.
            return new ApiException(400, "malformed-request", "Malformed request",
                    "the request could not be decoded (" + failure.getClass().getSimpleName() + ")", List.of());
        }
        if (failure instanceof HttpException http) {
            return fromStatus(http.getStatusCode(), http.getPayload());
        }
        if (failure == null && status > 0) {
            return fromStatus(status, null);
        }
        return new ApiException(500, "internal", "Internal error", "the server failed to handle this request", List.of());
    }

    private static ApiException fromStatus(int status, String payload) {
        return switch (status) {
            case 400 -> ApiException.badRequest(payload != null ? payload : "the request is malformed");
            case 401 -> new ApiException(401, "unauthenticated", "Unauthenticated", "a valid API key is required", List.of());
            case 403 -> new ApiException(403, "forbidden", "Forbidden", "this key may not do that", List.of());
            case 404 -> ApiException.notFound("no such resource");
            case 405 -> new ApiException(405, "method-not-allowed", "Method not allowed", "this resource does not answer that method", List.of());
            case 413 -> new ApiException(413, "too-large", "Payload too large", "the request body exceeds the upload limit", List.of());
            case 415 -> ApiException.unsupportedMediaType(payload != null ? payload : "unsupported content type");
            default -> status >= 400 && status < 500
                    ? new ApiException(status, "client-error", "Client error", payload != null ? payload : "request refused", List.of())
                    : new ApiException(500, "internal", "Internal error", "the server failed to handle this request", List.of());
        };
    }

    public static void send(HttpServerResponse response, ApiException problem, String instance) {
        if (response.ended() || response.closed()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        body.put("instance", instance);
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors().stream().map(Problems::error).toList());
        }
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"cantor\"");
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(Json.write(body));
    }

    private static Map<String, String> error(FieldError e) {
        return Map.of("field", e.field(), "message", e.message());
    }
}
