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
    final GatewayMetrics.Endpoint endpoint;
    volatile boolean agedOut;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    volatile long lastActiveNanos = System.nanoTime();
    volatile boolean serverAskedToClose;
    volatile long advertisedKeepAliveNanos = Long.MAX_VALUE;
    volatile TlsHandshake tls;

    Tracked(int id, GatewayMetrics.Endpoint endpoint) {
      this.id = id;
      this.endpoint = endpoint;
    }
  }

  /**
   * Which connection carried a request, the request's position on it (1 = its first), the endpoint it went to,
   * and its TLS handshake if any.
   */
  record Use(int connectionId, int position, String endpoint, TlsHandshake tls) {}

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
    metrics.requestSent(t.endpoint);
    return new Use(t.id, t.requests.incrementAndGet(), t.endpoint.name(), t.tls);
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

  /** What {@link #keepAliveTimeoutNanos} says of a header without a usable timeout=N. */
  static final long NO_HINT = Long.MIN_VALUE;

  /** The last Keep-Alive header parsed and what it said: a server sends the same one on every response. */
  private record KeepAliveHint(String header, long nanos) {}

  private volatile KeepAliveHint lastHint = new KeepAliveHint("", NO_HINT);

  private long advertisedKeepAliveNanos(String header) {
    KeepAliveHint hint = lastHint;
    if (!hint.header().equals(header)) {
      hint = new KeepAliveHint(header, keepAliveTimeoutNanos(header));
      lastHint = hint;
    }
    return hint.nanos();
  }

  /** The timeout=N of a Keep-Alive header in nanoseconds, NO_HINT if absent or malformed (no regex: once per call). */
  static long keepAliveTimeoutNanos(String header) {
    int i = header.indexOf("timeout=");
    if (i < 0) {
      return NO_HINT;
    }
    int start = i + 8;
    int end = start;
    while (end < header.length() && header.charAt(end) != ',' && !Character.isWhitespace(header.charAt(end))) {
      end++;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.substring(start, end))).toNanos();
    } catch (NumberFormatException | ArithmeticException malformed) {
      return NO_HINT; // a malformed hint changes nothing
    }
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

  /** --max-connection-age passed: the connection is being drained. False if it has closed already. */
  boolean agedOut(HttpConnection connection) {
    Tracked t = open.get(connection);
    if (t == null) {
      return false;
    }
    t.agedOut = true;
    return true;
  }

  void shuttingDown() {
    shuttingDown = true;
  }

  private Tracked track(HttpConnection connection) {
    Tracked existing = open.get(connection);
    if (existing != null) {
      return existing;
    }
    Tracked fresh = new Tracked(nextId.incrementAndGet(), metrics.endpoint(endpointOf(connection)));
    Tracked raced = open.putIfAbsent(connection, fresh);
    if (raced != null) {
      return raced;
    }
    boolean quic = connection.protocolVersion() == HttpVersion.HTTP_3;
    metrics.connectionOpened(fresh.endpoint, quic ? "quic" : "tcp");
    // QUIC's TLS 1.3 handshake is inside its own; the trust manager still tells a full one (docs/http3.md).
    if (tls != null) {
      fresh.tls = tls.handshakeOf(connection);
      metrics.tlsHandshake(fresh.tls);
    }
    connection.closeHandler(v -> closed(connection));
    return fresh;
  }

  /** The replica's address as the connection reached it, {@code ip:port}: the endpoint label. */
  static String endpointOf(HttpConnection connection) {
    io.vertx.core.net.SocketAddress a = connection.remoteAddress();
    if (a == null) {
      return "unknown";
    }
    String host = a.hostAddress() != null ? a.hostAddress() : a.host();
    return host + ":" + a.port();
  }

  private void closed(HttpConnection connection) {
    Tracked t = open.remove(connection);
    if (t != null) {
      metrics.connectionClosed(t.endpoint, closedBy(t), t.requests.get());
    }
  }

  /**
   * Netty does not say which side closed, so it is inferred from what preceded the close: the gateway
   * closes when keep-alive is off, when shutting down and when an idle connection reaches the keep-alive
   * timeout (its own or the one the server advertised); anything else was the upstream's doing. A connection
   * drained for its age (--max-connection-age) is told apart: max_age.
   */
  private String closedBy(Tracked t) {
    if (t.agedOut) {
      return "max_age";
    }
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
