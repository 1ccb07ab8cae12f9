package io.cantor.system;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A blocking HTTP client for tests: each call goes over real HTTP to a scheduler node. */
final class Api implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final WebClient client = WebClient.create(vertx);
    private final URI base;
    private final String key;

    Api(String baseUrl, String key) {
        this.base = URI.create(baseUrl);
        this.key = key;
    }

    Api as(String otherKey) {
        return new Api(base.toString(), otherKey);
    }

    HttpResponse<Buffer> submit(List<Path> files, String paramsJson) {
        return postAudio("/model/train", files, paramsJson);
    }

    /** A multipart POST of WAV files (field {@code audio}) and an optional {@code params} part. */
    HttpResponse<Buffer> postAudio(String path, List<Path> files, String paramsJson) {
        MultipartForm form = MultipartForm.create();
        for (Path f : files) {
            form.binaryFileUpload("audio", f.getFileName().toString(), f.toString(), "audio/wav");
        }
        if (paramsJson != null) {
            form.attribute("params", paramsJson);
        }
        return await(request(io.vertx.core.http.HttpMethod.POST, path).sendMultipartForm(form));
    }

    HttpResponse<Buffer> get(String path) {
        return await(request(io.vertx.core.http.HttpMethod.GET, path).send());
    }

    HttpResponse<Buffer> delete(String path) {
        return await(request(io.vertx.core.http.HttpMethod.DELETE, path).send());
    }

    HttpResponse<Buffer> postJson(String path, JsonObject body) {
        return await(request(io.vertx.core.http.HttpMethod.POST, path).sendJsonObject(body));
    }

    JsonObject job(String id) {
        HttpResponse<Buffer> r = get("/jobs/" + id);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /jobs/" + id + " answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        return r.bodyAsJsonObject();
    }

    HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
        HttpRequest<Buffer> request = client.request(method, base.getPort(), base.getHost(), path);
        if (key != null) {
            request.bearerTokenAuthentication(key);
        }
        return request;
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("request failed", e);
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
