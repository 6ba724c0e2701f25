package dev.keepalive.upstream;

import dev.keepalive.common.JsonErrors;
import dev.keepalive.common.server.FirstHeadTimeout;
import dev.keepalive.common.server.LaterHeadsTimeout;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;

/** The upstream: where its requests enter. One instance per event loop, all sharing one port. */
public final class UpstreamVerticle extends VerticleBase {
  private final UpstreamConfig config;
  private final UpstreamMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final ServiceTime serviceTime;
  private final ServerTls tls;
  private final FirstHeadTimeout headersTimeout;
  private final LaterHeadsTimeout laterHeads;
  private HttpServer server;

  /** @param tls HTTPS on the port, null for plain HTTP */
  UpstreamVerticle(UpstreamConfig config, UpstreamMetrics metrics, PrometheusMeterRegistry registry,
      ServiceTime serviceTime, ServerTls tls, FirstHeadTimeout headersTimeout, LaterHeadsTimeout laterHeads) {
    this.headersTimeout = headersTimeout;
    this.laterHeads = laterHeads;
    this.config = config;
    this.serviceTime = serviceTime;
    this.metrics = metrics;
    this.registry = registry;
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    ConnectionBudget budget = new ConnectionBudget(config.maxRequestsPerConnection());

    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      if (tls != null) {
        // Over TLS the connection handler runs at the end of the handshake: the first request stops the timer.
        headersTimeout.arrived(ctx.request().connection());
      }
      laterHeads.requestArrived(ctx);
    });
    if (config.http3()) {
      router.route().handler(Http3Upstream.advertise(config.port()));
    }
    router.get("/item/:id").handler(new ItemHandler(vertx, config, metrics, budget, serviceTime));
    router.get("/health").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "UP")));
    if (!config.separateMetricsPort()) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    JsonErrors.install(router);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        // The server's keep-alive timeout: an idle connection is closed after this long.
        .setIdleTimeout((int) config.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // h2c with prior knowledge beside HTTP/1.1 on the same port.
        .setHttp2ClearTextEnabled(true)
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(config.maxConcurrentStreams()))
        .setTcpNoDelay(true);
    if (tls != null) {
      tls.apply(options);
    }

    server = (config.http3() ? Http3Upstream.create(vertx, options, config.port(), config.idleTimeout())
        : vertx.createHttpServer(options))
        .connectionHandler(connection -> {
          String transport = Http3Upstream.transport(connection);
          // In cleartext (h2c on) Vert.x calls this once the first request head or the HTTP/2 preface is complete.
          if (tls == null || connection.protocolVersion() == io.vertx.core.http.HttpVersion.HTTP_2) {
            headersTimeout.arrived(connection);
          }
          laterHeads.connected(connection);
          metrics.connectionAccepted(transport);
          // QUIC's TLS is inside its own handshake, and Vert.x 5.1.6 does not say whether it resumed (docs/http3.md).
          if (tls != null && transport.equals("tcp")) {
            metrics.tlsHandshake(tls.handshakeOf(connection));
          }
          connection.closeHandler(v -> {
            metrics.connectionClosed();
            budget.forget(connection);
            laterHeads.closed(connection);
          });
        })
        .invalidRequestHandler(JsonErrors::invalidRequest)
        .requestHandler(router);
    return server.listen();
  }

  /** The port actually bound (useful with {@code --port 0}). */
  public int actualPort() {
    return server.actualPort();
  }
}
