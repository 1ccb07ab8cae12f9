package io.cantor.scheduler.api;

import io.cantor.model.Dataset;
import io.cantor.model.Ids;
import io.cantor.model.json.Json;
import io.cantor.scheduler.auth.Principal;
import io.cantor.scheduler.datasets.DatasetService;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;

/** {@code /datasets}: upload recordings once, train many jobs on them. */
final class DatasetsApi {
    private final DatasetService datasets;

    DatasetsApi(DatasetService datasets) {
        this.datasets = datasets;
    }

    /** {@code POST /datasets} (multipart: one or more audio files). */
    void create(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        if (!Bodies.isMultipart(ctx)) {
            throw ApiException.unsupportedMediaType("send the recordings as multipart/form-data");
        }
        if (!ctx.request().formAttributes().isEmpty()) {
            throw ApiException.invalidField(ctx.request().formAttributes().names().iterator().next(),
                    "is not a known form field (send only audio files)");
        }
        List<DatasetService.Upload> uploads = ctx.fileUploads().stream()
                .map((FileUpload f) -> new DatasetService.Upload(f.name(), f.fileName(), Path.of(f.uploadedFileName()), f.size()))
                .toList();
        datasets.create(principal.tenant(), uploads)
                .onSuccess(dataset -> ctx.response().setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Location", "/datasets/" + dataset.id())
                        .end(Json.write(dataset)))
                .onFailure(ctx::fail);
    }

    /** {@code GET /datasets/{id}} */
    void get(RoutingContext ctx) {
        own(ctx).onSuccess((Dataset d) -> ctx.response().putHeader("Content-Type", "application/json").end(Json.write(d)))
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /datasets/{id}}: the recordings are biometric data; every stored byte of them goes. */
    void delete(RoutingContext ctx) {
        own(ctx).compose(d -> datasets.delete(d.id()))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    private io.vertx.core.Future<Dataset> own(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        String id = ctx.pathParam("id");
        if (!Ids.isWellFormed(id)) {
            return io.vertx.core.Future.failedFuture(ApiException.notFound("no dataset " + id));
        }
        return datasets.find(id).map(found -> found.filter(d -> d.tenant().equals(principal.tenant()))
                .orElseThrow(() -> ApiException.notFound("no dataset " + id)));
    }
}
