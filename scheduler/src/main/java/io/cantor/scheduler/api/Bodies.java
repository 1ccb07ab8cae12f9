package io.cantor.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cantor.model.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.stream.Collectors;

/** Reads request bodies into records; every parse problem becomes a 4xx that names the field. */
final class Bodies {
    private Bodies() {
    }

    static boolean isJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase().startsWith("application/json");
    }

    static boolean isMultipart(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase().startsWith("multipart/form-data");
    }

    /** The JSON body as {@code type}; 415 unless the body is JSON, 400 if it does not parse. */
    static <T> T json(RoutingContext ctx, Class<T> type) {
        if (!isJson(ctx)) {
            throw ApiException.unsupportedMediaType("send Content-Type: application/json");
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        return parse(body.getBytes(), type, "");
    }

    /** A JSON value from a form field or body part; {@code prefix} names it in errors. */
    static <T> T parse(byte[] json, Class<T> type, String prefix) {
        try {
            T value = Json.read(json, type);
            if (value == null) {
                throw ApiException.badRequest((prefix.isEmpty() ? "the body" : prefix) + " must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.invalidField(path(prefix, e), "is not a known field");
        } catch (JsonMappingException e) {
            if (e.getPath().isEmpty()) {
                throw ApiException.badRequest("malformed JSON" + (prefix.isEmpty() ? "" : " in " + prefix) + ": "
                        + e.getOriginalMessage());
            }
            throw ApiException.invalidField(path(prefix, e), "has the wrong type or value");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON" + (prefix.isEmpty() ? "" : " in " + prefix) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    private static String path(String prefix, JsonMappingException e) {
        String inner = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return prefix.isEmpty() ? inner : prefix + "." + inner;
    }
}
