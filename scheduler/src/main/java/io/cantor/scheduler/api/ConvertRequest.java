package io.cantor.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.ConversionParams;
import io.cantor.model.FieldError;
import io.cantor.model.Notify;
import io.cantor.model.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code params} part of {@code POST /models/{id}/convert}: how to convert, plus the same
 * envelope a training submission has. A conversion is short and someone is waiting for it, so it
 * queues at priority 50 unless told otherwise.
 */
public record ConvertRequest(double transpose, double indexRate, int priority, Integer maxAttempts, Notify notifications) {
    public static final int DEFAULT_PRIORITY = 50;
    private static final Set<String> FIELDS = Set.of("transpose", "indexRate", "priority", "maxAttempts", "notify");

    public static ConvertRequest fromParamsPart(String json) {
        if (json == null) {
            return new ConvertRequest(0, ConversionParams.DEFAULT_INDEX_RATE, DEFAULT_PRIORITY, null, Notify.NONE);
        }
        JsonNode params = Bodies.parse(json.getBytes(StandardCharsets.UTF_8), JsonNode.class, "params");
        if (!params.isObject()) {
            throw ApiException.invalidField("params", "must be a JSON object");
        }
        Iterator<String> names = params.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.invalidField("params." + name, "is not a conversion parameter (transpose, indexRate, priority, maxAttempts, notify)");
            }
        }
        return new ConvertRequest(
                number(params, "transpose", 0),
                number(params, "indexRate", ConversionParams.DEFAULT_INDEX_RATE),
                integer(params, "priority", DEFAULT_PRIORITY),
                params.has("maxAttempts") ? integer(params, "maxAttempts", 0) : null,
                params.has("notify") ? Bodies.parse(Json.writeBytes(params.get("notify")), Notify.class, "params.notify") : Notify.NONE);
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>(new ConversionParams(null, null, transpose, indexRate).validate("params"));
        if (priority < -100 || priority > 100) {
            errors.add(new FieldError("params.priority", "must be between -100 and 100"));
        }
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 20)) {
            errors.add(new FieldError("params.maxAttempts", "must be between 1 and 20"));
        }
        SubmitRequest.validateNotify(notifications, errors);
        return errors;
    }

    public int maxAttemptsOr(int fallback) {
        return maxAttempts == null ? fallback : maxAttempts;
    }

    private static double number(JsonNode params, String field, double fallback) {
        JsonNode value = params.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw ApiException.invalidField("params." + field, "must be a number");
        }
        return value.asDouble();
    }

    private static int integer(JsonNode params, String field, int fallback) {
        JsonNode value = params.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isInt()) {
            throw ApiException.invalidField("params." + field, "must be an integer");
        }
        return value.asInt();
    }
}
