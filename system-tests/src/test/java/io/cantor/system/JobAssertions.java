package io.cantor.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class JobAssertions {
    private JobAssertions() {
    }

    /** An RFC 9457 answer with this status, a title and a detail; returns its body. */
    static JsonObject problem(HttpResponse<Buffer> response, int status) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals("application/problem+json", response.getHeader("Content-Type"));
        JsonObject body = response.bodyAsJsonObject();
        assertEquals(status, body.getInteger("status"));
        assertNotNull(body.getString("title"));
        assertNotNull(body.getString("detail"));
        assertTrue(body.getString("type").startsWith("https://"));
        return body;
    }

    static void metricsShowLearning(JsonObject job) {
        JsonObject metrics = job.getJsonObject("result").getJsonObject("metrics");
        assertTrue(metrics.getDouble("final_loss") < metrics.getDouble("first_loss"), metrics.encode());
    }
}
