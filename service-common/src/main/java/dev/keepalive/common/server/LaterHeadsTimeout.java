package dev.keepalive.common.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --headers-timeout} for every request after a connection's first, on a server that times the first one
 * elsewhere ({@link FirstHeadTimeout}, the upstream's, from the TCP accept). Without it, a client that completed one
 * request and then trickles the next one's headers would hold its connection: each byte resets Vert.x's idle timeout.
 * The clock starts at the next request's first bytes, as Node's. One per server, shared by its event loops.
 */
public final class LaterHeadsTimeout {
  private final Duration timeout;
  private final String message;
  private final Runnable onTimeout;
  private final Map<HttpConnection, GuardedConnection> connections = new ConcurrentHashMap<>();

  /** @param onTimeout run for each connection closed by the timeout (a metric) */
  public LaterHeadsTimeout(Duration timeout, Runnable onTimeout) {
    this.timeout = timeout;
    this.message = HeadersTimeoutResponse.message(timeout);
    this.onTimeout = onTimeout;
  }

  /** From the server's connection handler, on the connection's event loop. */
  public void connected(HttpConnection connection) {
    GuardedConnection guarded = new GuardedConnection(Vertx.currentContext(), connection, timeout, message, onTimeout);
    if (guarded.watchLaterHeads()) {
      connections.put(connection, guarded);
    }
  }

  /** From the connection's close handler (Vert.x keeps one per connection: the server's own). */
  public void closed(HttpConnection connection) {
    GuardedConnection guarded = connections.remove(connection);
    if (guarded != null) {
      guarded.cancel();
    }
  }

  /** The router's first handler: the request's head is complete, so no timer runs until its response has ended. */
  public void requestArrived(RoutingContext ctx) {
    GuardedConnection guarded = connections.get(ctx.request().connection());
    if (guarded != null) {
      guarded.requestStarted();
      ctx.addEndHandler(ended -> guarded.requestEnded(Duration.ZERO));
    }
    ctx.next();
  }
}
