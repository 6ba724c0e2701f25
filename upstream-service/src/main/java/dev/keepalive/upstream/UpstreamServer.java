package dev.keepalive.upstream;

import dev.keepalive.common.ListenPort;
import dev.keepalive.common.MetricsRegistries;
import dev.keepalive.common.MetricsVerticle;
import dev.keepalive.common.ServiceAddress;
import dev.keepalive.common.TransportChoice;
import dev.keepalive.common.server.FirstHeadTimeout;
import dev.keepalive.common.server.LaterHeadsTimeout;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running upstream: its own Vert.x, registry and verticles. Used by the command line, the tests
 * and the embedded comparison alike.
 */
public final class UpstreamServer {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final UpstreamConfig config;
  private final int metricsPort;
  private final ServerTls tls;
  private final ServiceTime serviceTime;

  private UpstreamServer(Vertx vertx, PrometheusMeterRegistry registry, UpstreamConfig config, int metricsPort,
      ServerTls tls, ServiceTime serviceTime) {
    this.serviceTime = serviceTime;
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.metricsPort = metricsPort;
    this.tls = tls;
  }

  public static Future<UpstreamServer> start(UpstreamConfig requested) {
    UpstreamConfig config = requested.withPort(requested.http3()
        ? ListenPort.resolveTcpAndUdp(requested.host(), requested.port())
        : ListenPort.resolve(requested.host(), requested.port(), requested.instances()));
    PrometheusMeterRegistry registry = MetricsRegistries.newRegistry();
    UpstreamMetrics metrics = new UpstreamMetrics(registry);
    // --headers-timeout from the TCP accept: Vert.x's transport carries the hook (see FirstHeadTimeout).
    FirstHeadTimeout headersTimeout = new FirstHeadTimeout(config.headersTimeout(), metrics::headersTimeout);
    Vertx vertx = MetricsRegistries.newVertx(registry, "upstream", new VertxOptions(), config.transport(),
        headersTimeout::wrap);
    // ... and from each later request's first bytes on a kept-alive connection.
    LaterHeadsTimeout laterHeads = new LaterHeadsTimeout(config.headersTimeout(), metrics::headersTimeout);
    dev.keepalive.common.EventLoopCpu.register(registry, vertx, "upstream");
    ServerTls tls;
    try {
      tls = ServerTls.create(config.tls(), config.host(), metrics::tlsHandshakeTime);
    } catch (RuntimeException e) {
      vertx.close();
      return Future.failedFuture(e);
    }
    ServiceTime serviceTime = new ServiceTime(config.delay());
    // All instances share one port (with several instances, --port 0 is resolved to a free port first).
    List<UpstreamVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          UpstreamVerticle v = new UpstreamVerticle(config, metrics, registry, serviceTime, tls, headersTimeout,
              laterHeads);
          instances.add(v);
          return v;
        }, new DeploymentOptions().setInstances(config.instances()))
        .compose(id -> {
          UpstreamConfig bound = config.withPort(instances.get(0).actualPort());
          headersTimeout.guard(bound.port()); // not --metrics-port: scrapes are Prometheus's business
          Future<?> rest = Future.succeededFuture();
          if (!config.separateMetricsPort()) {
            return rest.map(v -> new UpstreamServer(vertx, registry, bound, bound.port(), tls, serviceTime));
          }
          MetricsVerticle scrape = new MetricsVerticle(registry, config.host(), config.metricsPort(), true);
          return rest.compose(v -> vertx.deployVerticle(scrape))
              .map(v -> new UpstreamServer(vertx, registry, bound, scrape.actualPort(), tls, serviceTime));
        })
        .recover(err -> {
          vertx.close(); // not awaited: this runs on one of the event loops being closed
          return Future.failedFuture(err);
        });
  }

  /** The service time in force: {@code serviceTime().set(Delay.parse("200ms"))} slows every later request. */
  public ServiceTime serviceTime() {
    return serviceTime;
  }

  public int port() {
    return config.port();
  }

  /** http://host:port, or https:// with --tls. */
  public String baseUrl() {
    return tls == null ? address().baseUrl() : address().baseUrl().replaceFirst("^http:", "https:");
  }

  /** Where Prometheus scrapes this upstream (over TLS too when it shares the TLS port). */
  public String metricsUrl() {
    String url = address().metricsUrl();
    return tls == null || config.separateMetricsPort() ? url : url.replaceFirst("^http:", "https:");
  }

  /** The TLS side of the port, null for plain HTTP. */
  public ServerTls tls() {
    return tls;
  }

  public ServiceAddress address() {
    return new ServiceAddress(config.host(), config.port(), metricsPort);
  }

  public UpstreamConfig config() {
    return config;
  }

  /** The transport the event loops run on: --transport resolved (auto's pick, or NIO after a fallback). */
  public TransportChoice transport() {
    return TransportChoice.inUse(vertx);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
