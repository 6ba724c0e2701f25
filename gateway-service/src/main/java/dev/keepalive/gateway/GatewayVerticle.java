package dev.keepalive.gateway;

import dev.keepalive.common.JsonErrors;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** The gateway: where its requests enter. Instances share one port and one limiter; each has its own upstream lane. */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final GatewayShared shared;
  private final UpstreamClient client;
  private HttpServer server;

  /** @param client this instance's lane: its share of the upstream pool, on its own event loop */
  GatewayVerticle(GatewayConfig config, GatewayShared shared, UpstreamClient client) {
    this.config = config;
    this.shared = shared;
    this.client = client;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // First: a request's headers are complete (stops --headers-timeout; --idle-timeout runs after its response).
    router.route().handler(shared.guard()::requestArrived);
    router.get("/fanout").handler(new FanOutHandler(config, client, shared));
    // DOWN (503) while the upstream cannot be reached: a gateway that can only answer 502 is not healthy,
    // and compose's healthcheck must show it (e.g. when a stale DNS answer points at a removed container).
    router.get("/health").handler(ctx -> shared.health().report().onSuccess(upstream -> {
      boolean down = "DOWN".equals(upstream.getString("state"));
      ctx.response().setStatusCode(down ? 503 : 200);
      ctx.json(new JsonObject().put("status", down ? "DOWN" : "UP").put("upstream", upstream));
    }));
    if (!config.separateMetricsPort()) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(shared.registry()));
    }
    JsonErrors.install(router);

    server = vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            // HTTP/1.1 only. With h2c detection on (Vert.x's default) the connection handler runs only once the
            // first request head is complete, too late for --headers-timeout and --max-client-connections.
            .setHttp2ClearTextEnabled(false)
            .setTcpNoDelay(true))
        .connectionHandler(shared.guard()::connected)
        .invalidRequestHandler(JsonErrors::invalidRequest)
        .requestHandler(router);
    return client.ready().compose(v -> server.listen());
  }

  /** Graceful: stop accepting, let fan-outs in progress finish within the grace period, then close. */
  @Override
  public Future<?> stop() {
    return server.shutdown(config.shutdownGrace());
  }

  public int actualPort() {
    return server.actualPort();
  }
}
