package io.cantor.scheduler.api;

import io.cantor.scheduler.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/** One HTTP server instance; a node deploys several that share the port, one per event loop. */
public final class HttpApiVerticle extends VerticleBase {
    private final Services services;
    private HttpServer server;

    public HttpApiVerticle(Services services) {
        this.services = services;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.config().httpHost())
                .setPort(services.config().httpPort())
                // HTTP/1.1 only. Java's HttpClient asks every http:// server for an upgrade to
                // cleartext HTTP/2 (h2c); Vert.x 5.0.7 honours it by default, and its h2c path
                // stalled responses with compression off and, under load, sent a large /metrics
                // body as raw HTTP/1.1 bytes on an upgraded connection ("frame exceeds
                // MAX_FRAME_SIZE" in the client). No Cantor client needs HTTP/2.
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(true)
                .setTcpNoDelay(true);
        if (services.config().tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(services.config().tlsCertPath())
                    .setKeyPath(services.config().tlsKeyPath()));
        }
        server = vertx.createHttpServer(options);
        return Contract.load(vertx).compose(contract -> server.requestHandler(ApiRouter.create(services, contract)).listen());
    }

    public int actualPort() {
        return server.actualPort();
    }
}
