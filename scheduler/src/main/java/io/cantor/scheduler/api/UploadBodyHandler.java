package io.cantor.scheduler.api;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;

/**
 * Vert.x Web's body handler for uploads, plus a watchdog: when a multipart body ends inside a file
 * part (a truncated upload), the stock handler waits forever for the part's end. Here, a body that
 * has fully arrived but was not handed on within a second is answered with a 400.
 */
final class UploadBodyHandler implements BodyHandler {
    private static final String DONE = "cantor.body.done";
    private static final long GRACE_MS = 1000;

    private final Vertx vertx;
    private final BodyHandler delegate;

    UploadBodyHandler(Vertx vertx, BodyHandler delegate) {
        this.vertx = vertx;
        this.delegate = delegate;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long[] endedAt = {0};
        long timer = vertx.setPeriodic(250, t -> {
            if (Boolean.TRUE.equals(ctx.get(DONE)) || ctx.response().ended() || ctx.failed()) {
                vertx.cancelTimer(t);
            } else if (ctx.request().isEnded()) {
                if (endedAt[0] == 0) {
                    endedAt[0] = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - endedAt[0] > GRACE_MS) {
                    vertx.cancelTimer(t);
                    ctx.fail(new ApiException(400, "malformed-multipart", "Malformed upload",
                            "the multipart body ended inside a part (truncated upload)", List.of()));
                }
            }
        });
        ctx.put("cantor.body.timer", timer);
        delegate.handle(ctx);
    }

    /** The route's next handler after this one: the body arrived whole; stop watching. */
    static void arrived(RoutingContext ctx) {
        if (ctx.failed() || ctx.response().ended()) {
            return; // the watchdog already answered
        }
        ctx.put(DONE, true);
        Long timer = ctx.get("cantor.body.timer");
        if (timer != null) {
            ctx.vertx().cancelTimer(timer);
        }
        ctx.next();
    }

    @Override
    public BodyHandler setHandleFileUploads(boolean handleFileUploads) {
        delegate.setHandleFileUploads(handleFileUploads);
        return this;
    }

    @Override
    public BodyHandler setBodyLimit(long bodyLimit) {
        delegate.setBodyLimit(bodyLimit);
        return this;
    }

    @Override
    public BodyHandler setUploadsDirectory(String uploadsDirectory) {
        delegate.setUploadsDirectory(uploadsDirectory);
        return this;
    }

    @Override
    public BodyHandler setMergeFormAttributes(boolean mergeFormAttributes) {
        delegate.setMergeFormAttributes(mergeFormAttributes);
        return this;
    }

    @Override
    public BodyHandler setDeleteUploadedFilesOnEnd(boolean deleteUploadedFilesOnEnd) {
        delegate.setDeleteUploadedFilesOnEnd(deleteUploadedFilesOnEnd);
        return this;
    }

    @Override
    public BodyHandler setPreallocateBodyBuffer(boolean isPreallocateBodyBuffer) {
        delegate.setPreallocateBodyBuffer(isPreallocateBodyBuffer);
        return this;
    }
}
