package dev.keepalive.gateway;

import dev.keepalive.common.tls.TlsHandshake;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows every connection the upstream client opens, from its handshake to its close: how many
 * requests it carried, whether a request was the first on it (a new TCP handshake) and who closed it.
 */
final class ConnectionTracker {

  /** What is known of one open connection. */
  static final class Tracked {
    final int id;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    volatile long lastActiveNanos = System.nanoTime();
    volatile boolean serverAskedToClose;
    volatile long advertisedKeepAliveNanos = Long.MAX_VALUE;
    volatile TlsHandshake tls;

    Tracked(int id) {
      this.id = id;
    }
  }

  /** Which connection carried a request, the request's position on it (1 = its first), its TLS handshake if any. */
  record Use(int connectionId, int position, TlsHandshake tls) {}

  private final ConcurrentHashMap<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
  private final GatewayMetrics metrics;
  private final boolean keepAlive;
  private final long keepAliveTimeoutNanos;
  private final AtomicInteger nextId = new AtomicInteger();
  private volatile boolean shuttingDown;
  private final UpstreamTls tls;

  ConnectionTracker(GatewayMetrics metrics, boolean keepAlive, Duration keepAliveTimeout) {
    this(metrics, keepAlive, keepAliveTimeout, null);
  }

  /** @param tls the TLS set-up of an https:// upstream, whose handshakes are counted here; null for plain HTTP */
  ConnectionTracker(GatewayMetrics metrics, boolean keepAlive, Duration keepAliveTimeout, UpstreamTls tls) {
    this.tls = tls;
    this.metrics = metrics;
    this.keepAlive = keepAlive;
    this.keepAliveTimeoutNanos = keepAliveTimeout.toNanos();
  }

  /** The client's connect handler: runs once per new connection, TCP (HTTP/1.1 or HTTP/2) or QUIC (HTTP/3). */
  void connected(HttpConnection connection) {
    track(connection);
  }

  /** True while the client has no connection open (nor one that finished its handshake). */
  boolean noneOpen() {
    return open.isEmpty();
  }

  /** A request is being sent on the connection. */
  Use requestSent(HttpConnection connection) {
    Tracked t = track(connection);
    // No clock read: lastActiveNanos matters once the connection is idle, and callFinished sets it then.
    t.inFlight.incrementAndGet();
    return new Use(t.id, t.requests.incrementAndGet(), t.tls);
  }

  /** Response headers arrived: note what the server said about the connection's future. */
  void responseReceived(HttpConnection connection, HttpClientResponse response) {
    Tracked t = open.get(connection);
    if (t == null) {
      return;
    }
    String conn = response.getHeader("connection");
    if (conn != null && conn.equalsIgnoreCase("close")) {
      t.serverAskedToClose = true;
    }
    String keepAliveHeader = response.getHeader("keep-alive");
    if (keepAliveHeader != null) {
      long nanos = advertisedKeepAliveNanos(keepAliveHeader);
      if (nanos != NO_HINT) {
        t.advertisedKeepAliveNanos = nanos;
      }
    }
  }

  private static final long NO_HINT = Long.MIN_VALUE;

  /** The last Keep-Alive header parsed and what it said: a server sends the same one on every response. */
  private record KeepAliveHint(String header, long nanos) {}

  private volatile KeepAliveHint lastHint = new KeepAliveHint("", NO_HINT);

  /** The timeout=N of a Keep-Alive header in nanoseconds, NO_HINT if absent or malformed (no regex: once per call). */
  private long advertisedKeepAliveNanos(String header) {
    KeepAliveHint hint = lastHint;
    if (hint.header().equals(header)) {
      return hint.nanos();
    }
    long nanos = NO_HINT;
    int i = header.indexOf("timeout=");
    if (i >= 0) {
      int start = i + 8;
      int end = start;
      while (end < header.length() && header.charAt(end) != ',' && !Character.isWhitespace(header.charAt(end))) {
        end++;
      }
      try {
        nanos = Duration.ofSeconds(Long.parseLong(header.substring(start, end))).toNanos();
      } catch (NumberFormatException | ArithmeticException ignored) {
        // a malformed hint changes nothing
      }
    }
    lastHint = new KeepAliveHint(header, nanos);
    return nanos;
  }

  /** The call that used the connection has finished, one way or the other, at {@code nowNanos}. */
  void callFinished(HttpConnection connection, long nowNanos) {
    Tracked t = open.get(connection);
    if (t != null) {
      t.inFlight.decrementAndGet();
      t.lastActiveNanos = nowNanos;
    }
  }

  /** The TLS set-up every client of the gateway applies; null for a plain http:// upstream. */
  UpstreamTls tls() {
    return tls;
  }

  void shuttingDown() {
    shuttingDown = true;
  }

  private Tracked track(HttpConnection connection) {
    Tracked existing = open.get(connection);
    if (existing != null) {
      return existing;
    }
    Tracked fresh = new Tracked(nextId.incrementAndGet());
    Tracked raced = open.putIfAbsent(connection, fresh);
    if (raced != null) {
      return raced;
    }
    boolean quic = connection.protocolVersion() == HttpVersion.HTTP_3;
    metrics.connectionOpened(quic ? "quic" : "tcp");
    // QUIC's TLS is inside its own handshake, and Vert.x 5.1.6 does not say whether it resumed (docs/http3.md).
    if (tls != null && !quic) {
      fresh.tls = tls.handshakeOf(connection);
      metrics.tlsHandshake(fresh.tls);
    }
    connection.closeHandler(v -> closed(connection));
    return fresh;
  }

  private void closed(HttpConnection connection) {
    Tracked t = open.remove(connection);
    if (t != null) {
      metrics.connectionClosed(closedBy(t), t.requests.get());
    }
  }

  /**
   * Netty does not say which side closed, so it is inferred from what preceded the close: the gateway
   * closes when keep-alive is off, when shutting down and when an idle connection reaches the keep-alive
   * timeout (its own or the one the server advertised); anything else was the upstream's doing.
   */
  private String closedBy(Tracked t) {
    if (shuttingDown || !keepAlive) {
      return "local";
    }
    if (t.serverAskedToClose || t.inFlight.get() > 0) {
      return "remote";
    }
    long idle = System.nanoTime() - t.lastActiveNanos;
    long timeout = Math.min(keepAliveTimeoutNanos, t.advertisedKeepAliveNanos);
    return idle >= timeout - Duration.ofMillis(50).toNanos() ? "local" : "remote";
  }
}
