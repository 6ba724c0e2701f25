package dev.keepalive.gateway;

import io.netty.handler.codec.quic.Quic;
import io.vertx.core.http.Http3ClientConfig;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ClientSSLOptions;
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

  /** The TLS settings QUIC uses: the TCP client's, which must exist (QUIC has no plain-text mode). */
  static ClientSSLOptions ssl(HttpClientOptions tcp) {
    ClientSSLOptions ssl = tcp.getSslOptions();
    if (ssl == null || (ssl.getTrustOptions() == null && !ssl.isTrustAll())) {
      throw new IllegalArgumentException("--http3 needs the upstream's certificate trusted (--tls-trust)");
    }
    return ssl.copy();
  }
}
