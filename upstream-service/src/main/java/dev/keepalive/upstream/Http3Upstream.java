package dev.keepalive.upstream;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.QuicClientAddressValidation;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * HTTP/3 beside HTTP/1.1 and HTTP/2: one Vert.x server listening on TCP and on UDP (QUIC) with the same port
 * number, and the Alt-Svc header that tells TCP clients HTTP/3 is there. QUIC always runs TLS 1.3, so the
 * server's TLS material (its HttpServerOptions' SSL options) serves both transports.
 */
public final class Http3Upstream {
  private Http3Upstream() {}

  /**
   * @param tcp the TCP server's options, with SSL on and a key and certificate set
   * @param port the one port number both transports bind: never 0, or TCP and UDP would get different ports
   */
  public static HttpServer create(Vertx vertx, HttpServerOptions tcp, int port, Duration idleTimeout) {
    if (!tcp.isSsl() || tcp.getSslOptions() == null || tcp.getSslOptions().getKeyCertOptions() == null) {
      throw new IllegalArgumentException("HTTP/3 needs TLS: QUIC runs TLS 1.3 only");
    }
    if (port == 0) {
      throw new IllegalArgumentException("HTTP/3 needs a port number fixed before binding (TCP and UDP share it)");
    }
    HttpServerConfig config = new HttpServerConfig(tcp.setPort(port))
        .setVersions(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2, HttpVersion.HTTP_3);
    // Built from the TCP options, the QUIC side starts from Vert.x's defaults: give it the same address, and let
    // several verticle instances share the UDP port (SO_REUSEPORT; datagrams are routed to the instance that owns
    // their QUIC connection id), as TCP listeners share theirs.
    config.getQuicConfig()
        .setHost(tcp.getHost())
        .setPort(port)
        .setLoadBalanced(true)
        // Vert.x's default (BASIC) answers every client's first Initial with a Retry (address validation against
        // spoofed sources): one more round trip before every handshake, two in all, as many as TCP + TLS 1.3. The lab
        // shows QUIC's one-round-trip handshake, on loopback and behind the latency link, where nobody spoofs.
        .setClientAddressValidation(QuicClientAddressValidation.NONE);
    // --idle-timeout as QUIC's own max_idle_timeout (both ends then close at the lower of their two values; QUIC's
    // default is 40 s). Vert.x's idle timeout on the QUIC server (setIdleTimeout) closed no idle HTTP/3 connection
    // within 15 s in 5.1.6 (UpstreamHttp3Test).
    if (!idleTimeout.isZero()) {
      config.getQuicConfig().getTransportConfig().setMaxIdleTimeout(idleTimeout);
    }
    ServerSSLOptions ssl = tcp.getSslOptions().copy();
    return vertx.httpServerBuilder().with(config).with(ssl).with(tcp.getSslEngineOptions()).build();
  }

  /** The transport a connection came over, the {@code protocol} label of the connection counters. */
  public static String transport(HttpConnection connection) {
    return connection.protocolVersion() == HttpVersion.HTTP_3 ? "quic" : "tcp";
  }

  /** The Alt-Svc value advertising HTTP/3 on the same port (RFC 7838; ma = how long a client may remember it). */
  public static String altSvc(int port) {
    return "h3=\":" + port + "\"; ma=3600";
  }

  /** A route handler that adds the Alt-Svc header to every answer sent over TCP (HTTP/1.1 and HTTP/2). */
  public static Handler<RoutingContext> advertise(int port) {
    String value = altSvc(port);
    return ctx -> {
      if (ctx.request().version() != HttpVersion.HTTP_3) {
        ctx.response().putHeader("alt-svc", value);
      }
      ctx.next();
    };
  }
}
