package io.cantor.scheduler.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;

import java.util.List;

/**
 * The API contract, {@code openapi.yaml} (served at {@code /openapi.yaml}), and the handler that
 * holds each request against its operation before any route handler runs: path, query and header
 * parameters, and JSON bodies. Multipart uploads and raw zip streams are checked by their handlers.
 */
@SuppressWarnings("unchecked")
public final class Contract {
    public static final String RESOURCE = "openapi.yaml";

    private final OpenAPIContract contract;
    private final RequestValidator validator;
    private final String text;

    private Contract(OpenAPIContract contract, RequestValidator validator, String text) {
        this.contract = contract;
        this.validator = validator;
        this.text = text;
    }

    /** Media types Vert.x's validator handles; the others are the handlers' to check. */
    private static final java.util.List<String> BINARY_BODIES = java.util.List.of("application/zip", "audio/wav");
    private static final java.util.Set<String> VALIDATABLE = java.util.Set.of("application/json", "multipart/form-data",
            "application/octet-stream", "text/plain");

    public static Future<Contract> load(Vertx vertx) {
        return vertx.fileSystem().readFile(RESOURCE).compose(text -> {
            io.vertx.core.json.JsonObject document = new io.vertx.core.json.JsonObject(
                    (java.util.Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(text.toString()));
            return OpenAPIContract.from(vertx, forValidator(document))
                    .map(c -> new Contract(c, RequestValidator.create(vertx, reusingValidators(c)), text.toString()));
        });
    }

    /**
     * The served document names the media types Cantor really uses (problem+json, event streams,
     * zips, WAVs); the validator knows only some. Its copy keeps every operation and parameter, maps
     * binary bodies to octet-stream and drops response media types it cannot handle (responses are not validated).
     */
    static io.vertx.core.json.JsonObject forValidator(io.vertx.core.json.JsonObject document) {
        io.vertx.core.json.JsonObject copy = document.copy();
        io.vertx.core.json.JsonObject paths = copy.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            io.vertx.core.json.JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (!(item.getValue(method) instanceof io.vertx.core.json.JsonObject operation)) {
                    continue;
                }
                io.vertx.core.json.JsonObject body = operation.getJsonObject("requestBody");
                if (body != null) {
                    io.vertx.core.json.JsonObject content = body.getJsonObject("content");
                    for (String binary : BINARY_BODIES) {
                        if (content.containsKey(binary)) {
                            content.put("application/octet-stream", content.remove(binary));
                        }
                    }
                }
                io.vertx.core.json.JsonObject responses = operation.getJsonObject("responses");
                if (responses != null) {
                    for (String code : responses.fieldNames()) {
                        io.vertx.core.json.JsonObject response = responses.getJsonObject(code);
                        io.vertx.core.json.JsonObject content = response.getJsonObject("content");
                        if (content != null) {
                            content.fieldNames().removeIf(type -> !VALIDATABLE.contains(type));
                            if (content.isEmpty()) {
                                response.remove("content");
                            }
                        }
                    }
                }
            }
        }
        io.vertx.core.json.JsonObject shared = copy.getJsonObject("components").getJsonObject("responses");
        for (String name : shared.fieldNames()) {
            io.vertx.core.json.JsonObject content = shared.getJsonObject(name).getJsonObject("content");
            if (content != null) {
                content.fieldNames().removeIf(type -> !VALIDATABLE.contains(type));
                if (content.isEmpty()) {
                    shared.getJsonObject(name).remove("content");
                }
            }
        }
        return copy;
    }

    /**
     * The contract as the request validator sees it, except that its schema repository builds each
     * schema's validator once: Vert.x's validator asks for a new one per parameter per request,
     * which was a seventh of the scheduler's CPU time under agent traffic. Validators are immutable.
     */
    static OpenAPIContract reusingValidators(OpenAPIContract contract) {
        io.vertx.json.schema.SchemaRepository repository = contract.getSchemaRepository();
        java.util.Map<Object, io.vertx.json.schema.Validator> built = new java.util.concurrent.ConcurrentHashMap<>();
        io.vertx.json.schema.SchemaRepository reusing = (io.vertx.json.schema.SchemaRepository) java.lang.reflect.Proxy.newProxyInstance(
                Contract.class.getClassLoader(), new Class<?>[]{io.vertx.json.schema.SchemaRepository.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("validator") && args.length == 1
                            && args[0] instanceof io.vertx.json.schema.JsonSchema schema) {
                        // By identity: the contract hands out the same schema object for an operation each
                        // time. Bounded, in case some path makes schemas on the fly.
                        io.vertx.json.schema.Validator known = built.get(new Identity(schema));
                        if (known != null) {
                            return known;
                        }
                        io.vertx.json.schema.Validator fresh = repository.validator(schema);
                        if (built.size() < 10_000) {
                            built.put(new Identity(schema), fresh);
                        }
                        return fresh;
                    }
                    return invoke(repository, method, args);
                });
        return (OpenAPIContract) java.lang.reflect.Proxy.newProxyInstance(Contract.class.getClassLoader(),
                new Class<?>[]{OpenAPIContract.class},
                (proxy, method, args) -> method.getName().equals("getSchemaRepository") && (args == null || args.length == 0)
                        ? reusing : invoke(contract, method, args));
    }

    private record Identity(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    public OpenAPIContract openApi() {
        return contract;
    }

    /** The document itself. */
    void serve(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/yaml").end(text);
    }

    /** Validates the request against {@code operationId}; a violation is a 400 naming what is wrong. */
    Handler<RoutingContext> validate(String operationId) {
        Operation operation = contract.operation(operationId);
        if (operation == null) {
            throw new IllegalArgumentException("openapi.yaml has no operation " + operationId);
        }
        return ctx -> {
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(body))
                    .compose(request -> validator.validate(request, operationId))
                    .onSuccess(validated -> ctx.next())
                    .onFailure(e -> ctx.fail(problem(e)));
        };
    }

    private static ApiException problem(Throwable e) {
        if (e instanceof SchemaValidationException schema) {
            String where = schema.getMessage();
            return new ApiException(400, "validation", "Invalid request", where + describe(schema.getCause()), List.of());
        }
        if (e instanceof ValidatorException v) {
            return new ApiException(400, "validation", "Invalid request", v.getMessage(), List.of());
        }
        return ApiException.badRequest("the request does not fit the API contract: " + e.getMessage());
    }

    private static String describe(Throwable cause) {
        if (cause instanceof JsonSchemaValidationException j) {
            return " (" + j.location() + ": " + j.getMessage() + ")";
        }
        return "";
    }
}
