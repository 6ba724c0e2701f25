package dev.keepalive.common;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * Serves {@code /metrics} on a port of its own ({@code --metrics-port}), so that scrapes neither
 * share the service's port nor count among the connections the service reports.
 */
public final class MetricsVerticle extends VerticleBase {
  private final PrometheusMeterRegistry registry;
  private final String host;
  private final int port;
  private HttpServer server;

  public MetricsVerticle(PrometheusMeterRegistry registry, String host, int port) {
    this.registry = registry;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    JsonErrors.install(router);
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, host);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
