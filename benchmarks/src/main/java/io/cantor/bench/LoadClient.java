package io.cantor.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load generator's side of the HTTP benchmarks: one Vert.x instance with a single event loop,
 * pooled keep-alive HTTP/1.1 clients, and helpers to send a request and await a result from the
 * driving (non-event-loop) thread. Every piece of load state lives on {@link #context}, so the
 * scenarios need no locks; the driving thread only reads atomic counters and awaits futures.
 */
final class LoadClient implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    static final CharSequence ZIP = HttpHeaders.createOptimized("application/zip");
    static final CharSequence LEASE_TOKEN = HttpHeaders.createOptimized("Cantor-Lease-Token");

    final Vertx vertx;
    /** The one event-loop context every scenario runs its load on. */
    final Context context;

    LoadClient() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2).setPreferNativeTransport(true));
        context = vertx.getOrCreateContext();
    }

    /** A pooled keep-alive client: at most {@code connectionsPerServer} HTTP/1.1 connections to each host:port. */
    HttpClientAgent client(int connectionsPerServer) {
        return vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDefaultHost(HOST)
                        .setConnectTimeout(5000))
                .with(new PoolOptions().setHttp1MaxSize(connectionsPerServer))
                .build();
    }

    static CharSequence bearer(String secret) {
        return HttpHeaders.createOptimized("Bearer " + secret);
    }

    static RequestOptions request(HttpMethod method, int port, String uri, CharSequence auth, CharSequence contentType) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(HOST).setPort(port).setURI(uri)
                .setIdleTimeout(30_000);
        if (auth != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, auth);
        }
        if (contentType != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        return options;
    }

    /** Status and body of an answer. */
    record Response(int status, Buffer body) {
        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    /** Sends and reads the whole answer. */
    static Future<Response> send(HttpClient client, RequestOptions options, Buffer body) {
        return client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b))));
    }

    /** Sends and answers only the status: the body is read off the connection and dropped (no buffer). */
    static Future<Integer> sendForStatus(HttpClient client, RequestOptions options, Buffer body) {
        return client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
                .compose(resp -> resp.end().map(v -> resp.statusCode())));
    }

    /** Runs {@code action} on the load context and waits for the future it returns. */
    <T> T call(Callable<Future<T>> action, Duration timeout) throws Exception {
        Future<T> f = Future.<Future<T>>future(p -> context.runOnContext(v -> {
            try {
                p.complete(action.call());
            } catch (Exception e) {
                p.fail(e);
            }
        })).compose(x -> x);
        return await(f, timeout);
    }

    static <T> T await(Future<T> f, Duration timeout) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no answer within " + timeout);
        }
    }

    /** CPU time this JVM (the load generator) has used, in nanoseconds. */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The first JSON string field's value when the body starts with {@code {"<field>":"}, else null. */
    static String leadingString(String json, String prefix) {
        if (!json.startsWith(prefix)) {
            return null;
        }
        int end = json.indexOf('"', prefix.length());
        return end < 0 ? null : json.substring(prefix.length(), end);
    }

    @Override
    public void close() throws Exception {
        await(vertx.close(), Duration.ofSeconds(30));
    }
}
