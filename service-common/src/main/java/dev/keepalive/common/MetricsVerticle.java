package dev.keepalive.common;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * Serves {@code /metrics} on a port of its own ({@code --metrics-port}), so that scrapes neither
 * share the service's port nor count among the connections the service reports; for a service whose health is
 * just "serving" (the upstream), {@code /health} too, so healthchecks and probes do not count either.
 */
public final class MetricsVerticle extends VerticleBase {
  private final PrometheusMeterRegistry registry;
  private final String host;
  private final int port;
  private final boolean health;
  private HttpServer server;

  public MetricsVerticle(PrometheusMeterRegistry registry, String host, int port) {
    this(registry, host, port, false);
  }

  /** @param health also answer {@code GET /health} with {@code {"status":"UP"}} while serving */
  public MetricsVerticle(PrometheusMeterRegistry registry, String host, int port, boolean health) {
    this.registry = registry;
    this.host = host;
    this.port = port;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    if (health) {
      router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    }
    JsonErrors.install(router);
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, host);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
