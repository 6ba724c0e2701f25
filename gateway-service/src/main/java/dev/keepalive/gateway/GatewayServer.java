package dev.keepalive.gateway;

import dev.keepalive.common.ListenPort;
import dev.keepalive.common.MetricsRegistries;
import dev.keepalive.common.MetricsVerticle;
import dev.keepalive.common.ServiceAddress;
import dev.keepalive.common.server.ConnectionGuard;
import dev.keepalive.common.TransportChoice;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running gateway: its own Vert.x, registry, and an upstream client per verticle instance (a lane each).
 * Used by the command line, the tests and the embedded comparison alike.
 */
public final class GatewayServer {
  private final Vertx vertx;
  private final GatewayConfig config;
  private final GatewayShared shared;
  private final List<String> deployments;
  private final int metricsPort;

  private GatewayServer(Vertx vertx, GatewayConfig config, GatewayShared shared, List<String> deployments,
      int metricsPort) {
    this.vertx = vertx;
    this.config = config;
    this.shared = shared;
    this.deployments = deployments;
    this.metricsPort = metricsPort;
  }

  public static Future<GatewayServer> start(GatewayConfig requested) {
    // DNS answers are kept at most --dns-cache-ttl (Docker's DNS says 600 s), from --dns-servers if given.
    return start(requested, new VertxOptions().setAddressResolverOptions(requested.discovery().resolverOptions()));
  }

  /** @param vertxOptions e.g. the DNS servers to resolve the upstream's name with (tests use a local one) */
  public static Future<GatewayServer> start(GatewayConfig requested, VertxOptions vertxOptions) {
    GatewayConfig config = requested.withPort(ListenPort.resolve(requested.host(), requested.port(), requested.instances()));
    PrometheusMeterRegistry registry = MetricsRegistries.newRegistry();
    Vertx vertx = MetricsRegistries.newVertx(registry, "gateway", vertxOptions, config.transport());
    GatewayMetrics metrics = new GatewayMetrics(registry);
    dev.keepalive.common.EventLoopCpu.register(registry, vertx, "gateway");
    UpstreamHealth health = new UpstreamHealth(vertx, config);
    GatewayShared shared = new GatewayShared(new UpstreamLanes(vertx, config, metrics, health), metrics,
        admission(config, metrics), health, registry, TransportChoice.inUse(vertx),
        new ConnectionGuard(config.serverLimits(), registry, "gateway.server.connections"));
    List<String> deployments = new ArrayList<>();
    // All instances share one port (with several instances, --port 0 is resolved to a free port first).
    List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          GatewayVerticle v = new GatewayVerticle(config, shared, shared.lanes().forInstance(instances.size()));
          instances.add(v);
          return v;
        }, new DeploymentOptions().setInstances(config.instances()))
        .compose(id -> {
          deployments.add(id);
          GatewayConfig bound = config.withPort(instances.get(0).actualPort());
          Future<?> rest = Future.succeededFuture();
          if (!config.separateMetricsPort()) {
            return rest.map(v -> new GatewayServer(vertx, bound, shared, deployments, bound.port()));
          }
          MetricsVerticle scrape = new MetricsVerticle(registry, config.host(), config.metricsPort());
          return rest.compose(v -> vertx.deployVerticle(scrape))
              .map(v -> new GatewayServer(vertx, bound, shared, deployments, scrape.actualPort()));
        })
        .recover(err -> {
          vertx.close(); // not awaited: this runs on one of the event loops being closed
          return Future.failedFuture(err);
        });
  }

  private static FanOutAdmission admission(GatewayConfig config, GatewayMetrics metrics) {
    FanOutAdmission admission = config.admission().adaptive()
        ? new AdaptiveAdmission(config.admission(), config.maxConcurrentFanouts(), config.fanoutTimeout())
        : new FanOutLimiter(config.maxConcurrentFanouts());
    metrics.admission(admission::limit, admission::inFlight);
    return admission;
  }

  public int port() {
    return config.port();
  }

  public String baseUrl() {
    return address().baseUrl();
  }

  /** Where Prometheus scrapes this gateway. */
  public String metricsUrl() {
    return address().metricsUrl();
  }

  public ServiceAddress address() {
    return new ServiceAddress(config.host(), config.port(), metricsPort);
  }

  public GatewayConfig config() {
    return config;
  }

  /** The transport the event loops run on: --transport resolved (auto's pick, or NIO after a fallback). */
  public TransportChoice transport() {
    return shared.transport();
  }

  /** The client configuration, as /fanout answers report it. */
  public io.vertx.core.json.JsonObject clientJson() {
    return config.clientJson(shared.transport());
  }

  public PrometheusMeterRegistry registry() {
    return shared.registry();
  }

  public GatewayMetrics metrics() {
    return shared.metrics();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Closes the upstream client (its connections count as closed locally), leaving the gateway up. */
  public Future<Void> closeClient() {
    return shared.lanes().close();
  }

  /**
   * Graceful shutdown: the servers stop accepting and finish the fan-outs in progress (within
   * --shutdown-grace), then the upstream pool closes, then Vert.x.
   */
  public Future<Void> close() {
    List<Future<?>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed)
        .eventually(() -> shared.lanes().close())
        .eventually(() -> shared.health().close())
        .eventually(() -> vertx.close())
        .mapEmpty();
  }
}
