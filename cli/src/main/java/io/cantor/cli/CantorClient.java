package io.cantor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Cantor's public API over {@link HttpClient}; every failure surfaces the server's problem detail. */
final class CantorClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String apiKey;

    CantorClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** {@code POST /model/train} with recordings (multipart) and an optional params JSON. */
    JsonNode submit(List<Path> recordings, String paramsJson, String idempotencyKey) throws IOException, InterruptedException {
        return multipart("/model/train", recordings, paramsJson, idempotencyKey);
    }

    /** {@code POST /models/{modelJobId}/convert}: one recording and optional params (transpose, indexRate). */
    JsonNode convert(String modelJobId, Path recording, String paramsJson, String idempotencyKey)
            throws IOException, InterruptedException {
        return multipart("/models/" + modelJobId + "/convert", List.of(recording), paramsJson, idempotencyKey);
    }

    private JsonNode multipart(String path, List<Path> recordings, String paramsJson, String idempotencyKey)
            throws IOException, InterruptedException {
        String boundary = "cantor-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        for (Path file : recordings) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio\"; filename=\""
                    + file.getFileName().toString().replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            parts.add(Files.readAllBytes(file));
            parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (paramsJson != null) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"params\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + paramsJson + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return json(request.build(), 202);
    }

    /** {@code POST /model/train} naming an uploaded dataset. */
    JsonNode submitDataset(String datasetId, String paramsJson) throws IOException, InterruptedException {
        String body = "{\"datasetId\":" + Json.write(datasetId) + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}";
        return json(request("/model/train").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), 202);
    }

    JsonNode job(String id) throws IOException, InterruptedException {
        return json(request("/jobs/" + id).GET().build(), 200);
    }

    JsonNode cancel(String id) throws IOException, InterruptedException {
        return json(request("/jobs/" + id).DELETE().build(), 200);
    }

    JsonNode createKey(String tenant, List<String> roles) throws IOException, InterruptedException {
        String body = Json.write(java.util.Map.of("tenant", tenant, "roles", roles));
        return json(request("/admin/keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
    }

    JsonNode listKeys(String tenant) throws IOException, InterruptedException {
        String query = tenant == null ? "" : "?tenant=" + java.net.URLEncoder.encode(tenant, StandardCharsets.UTF_8);
        return json(request("/admin/keys" + query).GET().build(), 200);
    }

    JsonNode revokeKey(String id) throws IOException, InterruptedException {
        return json(request("/admin/keys/" + id).DELETE().build(), 200);
    }

    /** Streams a succeeded job's output (model zip, or a conversion's WAV) into {@code target}. */
    long download(String id, Path target) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request("/models/" + id).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw problem(response.statusCode(), new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".zip");
        try (InputStream in = response.body()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(target);
    }

    /** Server-sent events of a job; each call to the handler gets one event (name, id, data). */
    void events(String id, String lastEventId, EventHandler handler) throws IOException, InterruptedException {
        HttpRequest.Builder request = request("/jobs/" + id + "/events").header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw problem(response.statusCode(), String.join("\n", response.body().toList()));
        }
        String event = "message";
        String eventId = null;
        StringBuilder data = new StringBuilder();
        for (var it = response.body().iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.isEmpty()) {
                if (data.length() > 0 && !handler.on(event, eventId, data.toString())) {
                    response.body().close();
                    return;
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                eventId = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
    }

    interface EventHandler {
        /** @return false to stop listening */
        boolean on(String event, String id, String data) throws IOException;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    private JsonNode json(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw problem(response.statusCode(), response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    private static CliException problem(int status, String body) {
        try {
            JsonNode problem = Json.mapper().readTree(body);
            String detail = problem.path("detail").asText(body);
            JsonNode errors = problem.path("errors");
            StringBuilder message = new StringBuilder(status + " " + problem.path("title").asText("") + ": " + detail);
            errors.forEach(e -> message.append("\n  ").append(e.path("field").asText()).append(": ").append(e.path("message").asText()));
            return new CliException(message.toString());
        } catch (IOException e) {
            return new CliException(status + ": " + body);
        }
    }

    static final class CliException extends IOException {
        CliException(String message) {
            super(message);
        }
    }
}
