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

/** The gateway: where its requests enter. Instances share one port and one upstream client. */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final UpstreamClient client;
  private final GatewayMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public GatewayVerticle(GatewayConfig config, UpstreamClient client, GatewayMetrics metrics,
      PrometheusMeterRegistry registry) {
    this.config = config;
    this.client = client;
    this.metrics = metrics;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/fanout").handler(new FanOutHandler(config, client, metrics));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    if (!config.separateMetricsPort()) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    JsonErrors.install(router);

    server = vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setTcpNoDelay(true))
        .requestHandler(router);
    return server.listen();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
