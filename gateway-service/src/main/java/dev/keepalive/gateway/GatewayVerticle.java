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

/** The gateway: where its requests enter. Instances share one port, one upstream client and one limiter. */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final GatewayShared shared;
  private HttpServer server;

  public GatewayVerticle(GatewayConfig config, GatewayShared shared) {
    this.config = config;
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/fanout").handler(new FanOutHandler(config, shared.client(), shared.metrics(), shared.limiter(), shared.health()));
    router.get("/health").handler(ctx -> shared.health().report()
        .onSuccess(upstream -> ctx.json(new JsonObject().put("status", "UP").put("upstream", upstream))));
    if (!config.separateMetricsPort()) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(shared.registry()));
    }
    JsonErrors.install(router);

    server = vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setTcpNoDelay(true))
        .invalidRequestHandler(JsonErrors::invalidRequest)
        .requestHandler(router);
    return server.listen();
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
