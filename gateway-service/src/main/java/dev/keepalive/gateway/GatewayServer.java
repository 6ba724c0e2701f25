package dev.keepalive.gateway;

import dev.keepalive.common.MetricsRegistries;
import dev.keepalive.common.MetricsVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A running gateway: its own Vert.x, registry, one upstream client shared by its verticles.
 * Used by the command line, the tests and the embedded comparison alike.
 */
public final class GatewayServer {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final GatewayConfig config;
  private final UpstreamClient client;
  private final GatewayMetrics metrics;
  private final int metricsPort;

  private GatewayServer(Vertx vertx, PrometheusMeterRegistry registry, GatewayConfig config, UpstreamClient client,
      GatewayMetrics metrics, int metricsPort) {
    this.metricsPort = metricsPort;
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.client = client;
    this.metrics = metrics;
  }

  public static Future<GatewayServer> start(GatewayConfig config) {
    PrometheusMeterRegistry registry = MetricsRegistries.newRegistry();
    Vertx vertx = MetricsRegistries.newVertx(registry, "gateway", new VertxOptions());
    GatewayMetrics metrics = new GatewayMetrics(registry);
    UpstreamClient client = new UpstreamClient(vertx, config, metrics);
    // The first instance binds (a free port with --port 0); the others then share that port.
    GatewayVerticle first = new GatewayVerticle(config, client, metrics, registry);
    return vertx.deployVerticle(first)
        .compose(id -> {
          GatewayConfig bound = config.withPort(first.actualPort());
          Future<?> rest = config.instances() == 1 ? Future.succeededFuture()
              : vertx.deployVerticle(() -> new GatewayVerticle(bound, client, metrics, registry),
                  new DeploymentOptions().setInstances(config.instances() - 1));
          if (!config.separateMetricsPort()) {
            return rest.map(v -> new GatewayServer(vertx, registry, bound, client, metrics, bound.port()));
          }
          MetricsVerticle scrape = new MetricsVerticle(registry, config.host(), config.metricsPort());
          return rest.compose(v -> vertx.deployVerticle(scrape))
              .map(v -> new GatewayServer(vertx, registry, bound, client, metrics, scrape.actualPort()));
        })
        .recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
  }

  public int port() {
    return config.port();
  }

  public String baseUrl() {
    return "http://" + (config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host()) + ":" + port();
  }

  /** Where Prometheus scrapes this gateway. */
  public String metricsUrl() {
    return baseUrl().replaceFirst(":\\d+$", ":" + metricsPort) + "/metrics";
  }

  public GatewayConfig config() {
    return config;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Closes the upstream client (its connections count as closed locally), then Vert.x. */
  public Future<Void> closeClient() {
    return client.close();
  }

  public Future<Void> close() {
    return client.close().eventually(() -> vertx.close());
  }
}
