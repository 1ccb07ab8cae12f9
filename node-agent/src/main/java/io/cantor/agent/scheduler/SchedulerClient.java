package io.cantor.agent.scheduler;

import io.cantor.model.Progress;
import io.cantor.model.agent.AgentMessages;
import io.cantor.model.agent.AgentMessages.Assignment;
import io.cantor.model.agent.AgentMessages.ClaimRequest;
import io.cantor.model.agent.AgentMessages.CompleteRequest;
import io.cantor.model.agent.AgentMessages.FailRequest;
import io.cantor.model.agent.AgentMessages.HeartbeatRequest;
import io.cantor.model.agent.AgentMessages.HeartbeatResponse;
import io.cantor.model.agent.AgentMessages.RegisterRequest;
import io.cantor.model.agent.AgentMessages.RegisterResponse;
import io.cantor.model.agent.Capabilities;
import io.cantor.model.json.Json;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agent's side of {@code /agent/v1/*}, over Vert.x's HTTP client. Futures complete on the caller's context. */
public final class SchedulerClient {
    private final Vertx vertx;
    private final HttpClient http;
    private final URI base;
    private final String token;

    /** @param caCert PEM file of certificates to trust for https (a private CA), or null */
    public SchedulerClient(Vertx vertx, URI base, String token, String caCert) {
        this.vertx = vertx;
        this.base = base;
        this.token = token;
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80))
                .setSsl("https".equals(base.getScheme()))
                .setKeepAlive(true);
        if (caCert != null) {
            options.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(caCert));
        }
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(16));
    }

    public Future<RegisterResponse> register(String nodeId, Capabilities capabilities, String version) {
        return json(HttpMethod.POST, "/agent/v1/register", null, new RegisterRequest(nodeId, capabilities, version))
                .map(r -> r.expect(200).as(RegisterResponse.class));
    }

    /** A long poll; {@code hangUp} aborts it (the scheduler then hands this poll nothing). */
    public Future<Optional<Assignment>> claim(String nodeId, List<Integer> freeGpus, Duration wait, Future<?> hangUp) {
        Buffer body = Buffer.buffer(Json.writeBytes(new ClaimRequest(nodeId, freeGpus, wait.toMillis())));
        RequestOptions options = options(HttpMethod.POST, "/agent/v1/claim", null)
                .setIdleTimeout(wait.toMillis() + 30_000);
        options.putHeader("Content-Type", "application/json");
        return http.request(options).compose(request -> {
            hangUp.onComplete(v -> request.reset());
            return request.send(body).compose(response -> response.body().map(b -> new Reply(response.statusCode(), b)));
        }).map(reply -> reply.status() == 204 ? Optional.empty() : Optional.of(reply.expect(200).as(Assignment.class)));
    }

    public Future<HeartbeatResponse> heartbeat(String jobId, long leaseToken, Progress progress, List<String> logLines) {
        return json(HttpMethod.POST, "/agent/v1/jobs/" + jobId + "/heartbeat", leaseToken, new HeartbeatRequest(progress, logLines))
                .map(r -> r.expect(200).as(HeartbeatResponse.class));
    }

    public Future<Void> complete(String jobId, long leaseToken, Map<String, Double> metrics) {
        return json(HttpMethod.POST, "/agent/v1/jobs/" + jobId + "/complete", leaseToken, new CompleteRequest(metrics))
                .map(r -> {
                    r.expect(200);
                    return null;
                });
    }

    public Future<Void> fail(String jobId, long leaseToken, String reason, boolean retryable) {
        return json(HttpMethod.POST, "/agent/v1/jobs/" + jobId + "/fail", leaseToken, new FailRequest(reason, retryable))
                .map(r -> {
                    r.expect(200);
                    return null;
                });
    }

    /** Downloads {@code path} (a URL the scheduler gave, relative to it) into {@code target}. */
    public Future<Void> download(String path, long leaseToken, Path target) {
        return vertx.fileSystem().open(target.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
                .compose(file -> http.request(options(HttpMethod.GET, path, leaseToken))
                        .compose(HttpClientRequest::send)
                        .compose(response -> {
                            if (response.statusCode() != 200) {
                                return response.body().compose(b -> Future.failedFuture(
                                        new SchedulerException(response.statusCode(), b.toString())));
                            }
                            String length = response.getHeader("Content-Length");
                            String sha256 = response.getHeader(AgentMessages.SHA256_HEADER);
                            DigestingWriteStream received = new DigestingWriteStream(file);
                            return response.pipeTo(received).compose(v -> verify(received, path, length, sha256));
                        })
                        .eventually(() -> file.close().otherwiseEmpty()));
    }

    /** A download that is shorter than announced or does not match its checksum fails instead of being used. */
    private static Future<Void> verify(DigestingWriteStream received, String path, String length, String sha256) {
        if (length != null && received.bytes() != Long.parseLong(length)) {
            return Future.failedFuture(new IOException(path + ": received " + received.bytes() + " of " + length + " bytes"));
        }
        String actual = received.sha256();
        if (sha256 != null && !actual.equalsIgnoreCase(sha256)) {
            return Future.failedFuture(new IOException(path + ": checksum " + actual + " does not match " + sha256));
        }
        return Future.succeededFuture();
    }

    /** The job's output: a model zip, or a conversion's WAV (told apart by its name). */
    public Future<Void> uploadArtifact(String jobId, long leaseToken, Path artifact) {
        String type = artifact.getFileName().toString().endsWith(".wav") ? "audio/wav" : "application/zip";
        return upload("/agent/v1/jobs/" + jobId + "/artifact", leaseToken, artifact,
                MultiMap.caseInsensitiveMultiMap().add("Content-Type", type));
    }

    public Future<Void> uploadCheckpoint(String jobId, long leaseToken, Path zip, int epoch) {
        return upload("/agent/v1/jobs/" + jobId + "/checkpoint", leaseToken, zip,
                MultiMap.caseInsensitiveMultiMap().add(AgentMessages.CHECKPOINT_EPOCH_HEADER, Integer.toString(epoch)));
    }

    private Future<Void> upload(String path, long leaseToken, Path file, MultiMap extraHeaders) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RequestOptions options = options(HttpMethod.PUT, path, leaseToken);
        options.putHeader("Content-Type", "application/zip").putHeader("Content-Length", Long.toString(size));
        extraHeaders.forEach(options::putHeader); // may name another Content-Type
        return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
                .compose(source -> http.request(options)
                        .compose(request -> request.send(source))
                        .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b)))
                        .map(reply -> {
                            reply.expect(200);
                            return (Void) null;
                        }));
    }

    public Future<Void> close() {
        return http.close();
    }

    private Future<Reply> json(HttpMethod method, String path, Long leaseToken, Object body) {
        RequestOptions options = options(method, path, leaseToken);
        options.putHeader("Content-Type", "application/json");
        Buffer payload = Buffer.buffer(Json.writeBytes(body));
        return http.request(options)
                .compose(request -> request.send(payload))
                .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b)));
    }

    private RequestOptions options(HttpMethod method, String path, Long leaseToken) {
        String prefix = base.getPath() == null || base.getPath().equals("/") ? "" : base.getPath().replaceAll("/$", "");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
        if (leaseToken != null) {
            headers.add(AgentMessages.LEASE_TOKEN_HEADER, Long.toString(leaseToken));
        }
        return new RequestOptions().setMethod(method).setURI(prefix + path).setHeaders(headers).setTimeout(120_000);
    }

    /** A finished exchange: status and body. */
    record Reply(int status, Buffer body) {
        Reply expect(int wanted) {
            if (status != wanted) {
                throw new SchedulerException(status, body.toString());
            }
            return this;
        }

        <T> T as(Class<T> type) {
            try {
                return Json.read(body.getBytes(), type);
            } catch (IOException e) {
                throw new SchedulerException(status, "unreadable answer: " + e.getMessage());
            }
        }
    }

    /** The scheduler answered with an unexpected status; the body is its problem+json. */
    public static final class SchedulerException extends RuntimeException {
        private final int status;

        public SchedulerException(int status, String body) {
            super("scheduler answered " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

}
