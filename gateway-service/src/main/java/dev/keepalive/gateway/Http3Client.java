package dev.keepalive.gateway;

import io.netty.handler.codec.quic.Quic;
import io.vertx.core.http.Http3ClientConfig;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import java.time.Duration;

/**
 * The upstream client's HTTP/3 configuration: the same client as over TCP (host, port, timeouts, TLS trust), but
 * every request goes over QUIC on UDP, where one handshake sets up both the transport and TLS 1.3. Connections
 * come from their own pool, sized by {@code PoolOptions.setHttp3MaxSize}.
 */
final class Http3Client {
  private Http3Client() {}

  /**
   * @param tcp the options the client would use over TCP; its SSL options hold the trust for the upstream's
   *     certificate
   */
  static HttpClientConfig config(HttpClientOptions tcp, Duration connectTimeout, Duration keepAliveTimeout) {
    // Loads QUIC's native code now rather than in the first handshake (seconds on a busy machine), and stops
    // start-up with the reason if this platform has none.
    Quic.ensureAvailability();
    HttpClientConfig config = new HttpClientConfig(tcp)
        .setVersions(HttpVersion.HTTP_3)
        .setSsl(true)
        // The Alt-Svc of a TCP answer is not needed: the client speaks HTTP/3 from the first request.
        .setFollowAlternativeServices(false)
        .setHttp3Config(new Http3ClientConfig().setKeepAliveTimeout(keepAliveTimeout));
    // Converted from TCP options, the QUIC side starts from Vert.x's defaults: give it the same connect timeout.
    config.getQuicConfig().setConnectTimeout(connectTimeout);
    return config;
  }

  /**
   * The same configuration, for a client built with an address resolver and a load balancer (replicas, or a name
   * resolved on each new connection). Vert.x 5.1.6's HttpClientBuilderInternal.build() creates the endpoint resolver
   * only for a client that has a TCP version: an HTTP/3-only client silently drops both and sends every call to the
   * URL's one address. So HTTP/1.1 is listed too, and every request must be pinned to HTTP/3 ({@link #pin}); a request
   * without a version would take the TCP transport.
   */
  static HttpClientConfig resolvable(HttpClientConfig http3) {
    return http3.setVersions(HttpVersion.HTTP_3, HttpVersion.HTTP_1_1);
  }

  /** The WebClient interceptor's part: a request being created goes over HTTP/3, never the client's TCP fallback. */
  static void pin(HttpContext<?> ctx) {
    if (ctx.phase() == ClientPhase.CREATE_REQUEST) {
      ctx.requestOptions().setProtocolVersion(HttpVersion.HTTP_3);
    }
  }

  /** The TLS settings QUIC uses: the TCP client's, which must exist (QUIC has no plain-text mode). */
  static ClientSSLOptions ssl(HttpClientOptions tcp) {
    ClientSSLOptions ssl = tcp.getSslOptions();
    if (ssl == null || (ssl.getTrustOptions() == null && !ssl.isTrustAll())) {
      throw new IllegalArgumentException("--http3 needs the upstream's certificate trusted (--tls-trust)");
    }
    return ssl.copy();
  }
}
