package dev.keepalive.common.server;

import dev.keepalive.common.server.ServerConnectionMetrics.Reason;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's limits on its own clients' connections ({@link ServerLimits}), for Vert.x, which has none of them:
 * its {@code HttpServerOptions.setIdleTimeout} closes a connection with no I/O even while a request is being
 * worked on, and it has no headers timeout at all. One per server, shared by its event loops:
 * {@link #connected} is the server's connection handler, {@link #requestArrived} the router's first handler.
 */
public final class ConnectionGuard {
  private final ServerLimits limits;
  private final ConnectionLimit limit;
  private final ServerConnectionMetrics metrics;
  private final String keepAliveHeader;
  private final String headersTimeoutMessage;
  private final Map<HttpConnection, GuardedConnection> connections = new ConcurrentHashMap<>();

  /** @param metricsPrefix e.g. "gateway.server.connections" */
  public ConnectionGuard(ServerLimits limits, MeterRegistry registry, String metricsPrefix) {
    this.limits = limits;
    this.limit = new ConnectionLimit(limits.maxConnections());
    this.metrics = new ServerConnectionMetrics(registry, metricsPrefix, limit::open);
    // As Node, tell keep-alive clients when an idle connection will be closed, but a second early (Node advertises
    // the timeout itself), so a client that honours it retires the connection before the server closes it.
    this.keepAliveHeader = limits.idleTimeout().isZero() ? null
        : "timeout=" + Math.max(1, limits.idleTimeout().toSeconds() - 1);
    this.headersTimeoutMessage = HeadersTimeoutResponse.message(limits.headersTimeout());
  }

  public ServerLimits limits() {
    return limits;
  }

  /** The server's connection handler: refuse beyond the limit, else start the headers timer. */
  public void connected(HttpConnection connection) {
    connected(connection, () -> { });
  }

  /** @param onClose also run when the connection closes (Vert.x keeps one close handler per connection) */
  public void connected(HttpConnection connection, Runnable onClose) {
    metrics.accepted();
    if (!limit.tryOpen()) {
      metrics.closed(Reason.LIMIT);
      connection.closeHandler(v -> onClose.run());
      connection.close();
      return;
    }
    GuardedConnection guarded = new GuardedConnection(Vertx.currentContext(), connection, limits.headersTimeout(),
        headersTimeoutMessage, () -> { });
    connections.put(connection, guarded);
    // Every request's headers are timed, not only the first's: the next request's first bytes start the clock.
    guarded.watchLaterHeads();
    connection.closeHandler(v -> {
      connections.remove(connection);
      limit.release();
      metrics.closed(guarded.closedBy() == null ? Reason.OTHER : guarded.closedBy());
      guarded.cancel();
      onClose.run();
    });
    guarded.await(limits.headersTimeout(), Reason.HEADERS_TIMEOUT);
  }

  /** The router's first handler: a request's headers are complete, so no timer runs until its response ends. */
  public void requestArrived(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    GuardedConnection guarded = connection == null ? null : connections.get(connection);
    if (guarded != null) {
      guarded.requestStarted();
      if (keepAliveHeader != null && connection.protocolVersion() != HttpVersion.HTTP_2) {
        ctx.response().putHeader("keep-alive", keepAliveHeader);
      }
      ctx.addEndHandler(ended -> guarded.requestEnded(limits.idleTimeout()));
    }
    ctx.next();
  }
}
