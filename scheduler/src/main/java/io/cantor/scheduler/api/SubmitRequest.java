package io.cantor.scheduler.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cantor.model.FieldError;
import io.cantor.model.Notify;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;
import io.cantor.model.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A submission, normalised. Clients send one JSON object of options, {@code params}: the
 * training parameters plus {@code priority}, {@code resources}, {@code maxAttempts} and
 * {@code notify}. A JSON submission wraps it as {@code {"datasetId": ..., "params": {...}}};
 * a multipart one sends it as the {@code params} part beside the recordings.
 */
public record SubmitRequest(String datasetId, TrainingParams params, int priority, ResourceRequest resources,
                            Integer maxAttempts, Notify notifications) {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,}$");
    private static final Set<String> ENVELOPE = Set.of("priority", "resources", "maxAttempts", "notify");

    /** The JSON body of {@code POST /model/train}: {@code {"datasetId": "...", "params": {...}}}. */
    public static SubmitRequest fromJsonBody(byte[] body) {
        JsonNode root = Bodies.parse(body, JsonNode.class, "");
        if (!root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("datasetId") && !name.equals("params")) {
                throw ApiException.invalidField(name, "is not a known field (send datasetId and params)");
            }
        }
        JsonNode datasetId = root.get("datasetId");
        if (datasetId != null && !datasetId.isTextual()) {
            throw ApiException.invalidField("datasetId", "must be a string");
        }
        return fromParams(datasetId == null ? null : datasetId.asText(), root.get("params"));
    }

    /** The {@code params} part of a multipart submission (may be absent). */
    public static SubmitRequest fromParamsPart(String json) {
        JsonNode params = json == null ? null : Bodies.parse(json.getBytes(StandardCharsets.UTF_8), JsonNode.class, "params");
        return fromParams(null, params);
    }

    private static SubmitRequest fromParams(String datasetId, JsonNode params) {
        if (params == null || params.isNull()) {
            return new SubmitRequest(datasetId, TrainingParams.DEFAULTS, 0, ResourceRequest.ANY, null, Notify.NONE);
        }
        if (!params.isObject()) {
            throw ApiException.invalidField("params", "must be a JSON object");
        }
        ObjectNode training = ((ObjectNode) params).deepCopy();
        ENVELOPE.forEach(training::remove);
        JsonNode priority = params.get("priority");
        if (priority != null && !priority.isInt()) {
            throw ApiException.invalidField("params.priority", "must be an integer");
        }
        JsonNode maxAttempts = params.get("maxAttempts");
        if (maxAttempts != null && !maxAttempts.isInt()) {
            throw ApiException.invalidField("params.maxAttempts", "must be an integer");
        }
        return new SubmitRequest(datasetId,
                Bodies.parse(Json.writeBytes(training), TrainingParams.class, "params"),
                priority == null ? 0 : priority.asInt(),
                params.has("resources") ? Bodies.parse(Json.writeBytes(params.get("resources")), ResourceRequest.class, "params.resources") : ResourceRequest.ANY,
                maxAttempts == null ? null : maxAttempts.asInt(),
                params.has("notify") ? Bodies.parse(Json.writeBytes(params.get("notify")), Notify.class, "params.notify") : Notify.NONE);
    }

    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>(params.validate("params"));
        errors.addAll(resources.validate("params.resources"));
        if (priority < -100 || priority > 100) {
            errors.add(new FieldError("params.priority", "must be between -100 and 100"));
        }
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 20)) {
            errors.add(new FieldError("params.maxAttempts", "must be between 1 and 20"));
        }
        validateNotify(notifications, errors);
        return errors;
    }

    /** {@code params.notify}, shared by every kind of submission. */
    static void validateNotify(Notify notifications, List<FieldError> errors) {
        if (notifications.webhookUrl() != null && !notifications.webhookUrl().matches("^https?://[^\\s]{1,2000}$")) {
            errors.add(new FieldError("params.notify.webhookUrl", "must be an http(s) URL"));
        }
        if (notifications.email() != null && !EMAIL.matcher(notifications.email()).matches()) {
            errors.add(new FieldError("params.notify.email", "must be an e-mail address"));
        }
    }

    public int maxAttemptsOr(int fallback) {
        return maxAttempts == null ? fallback : maxAttempts;
    }
}
