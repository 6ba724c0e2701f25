package dev.keepalive.common;

import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpServerConfig;
import io.vertx.core.net.QuicEndpointConfig;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TcpClientConfig;
import io.vertx.core.net.TcpServerConfig;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TransportMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * vertx-micrometer-metrics as it is, but for the HTTP client's per-request and per-socket meters.
 *
 * <p>The gateway records every upstream call itself ({@code gateway_upstream_requests_total},
 * {@code gateway_upstream_request_duration_seconds}), so Vert.x's {@code vertx_http_client_*} request series
 * counted the same calls a second time, at about 1 KB of allocation and 10 % of the gateway's CPU per call
 * (Tags merged and meters looked up on every request and response; see docs/performance.md). The HTTP client
 * still gets a (silent) metrics object, because Vert.x creates the connection pool's metrics only for a client
 * that has one: the {@code vertx_pool_*{pool_type="http"}} series the dashboard's pool-wait panels use stay.
 */
final class WithoutClientRequestMetrics implements VertxMetrics {

  /** Non-null so the pool's metrics exist; no endpoint metrics, so nothing per request. */
  private static final HttpClientMetrics<?, ?> SILENT_HTTP_CLIENT = new HttpClientMetrics<Object, Object>() {};

  /** The protocol name the HTTP client gives its TCP client. */
  private static final String HTTP_CLIENT_TRANSPORT = "http";

  private final VertxMetrics delegate;

  WithoutClientRequestMetrics(VertxMetrics delegate) {
    this.delegate = delegate;
  }

  @Override
  public HttpClientMetrics<?, ?> createHttpClientMetrics(HttpClientConfig config) {
    return SILENT_HTTP_CLIENT;
  }

  // Everything else is vertx-micrometer-metrics' own.

  @Override
  public EventBusMetrics createEventBusMetrics() {
    return delegate.createEventBusMetrics();
  }

  @Override
  public HttpServerMetrics<?, ?> createHttpServerMetrics(HttpServerConfig config, SocketAddress tcpLocalAddress,
      SocketAddress udpLocalAddress) {
    return delegate.createHttpServerMetrics(config, tcpLocalAddress, udpLocalAddress);
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return delegate.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public TransportMetrics<?> createTcpServerMetrics(TcpServerConfig config, String protocol, SocketAddress localAddress) {
    return delegate.createTcpServerMetrics(config, protocol, localAddress);
  }

  /**
   * None for the HTTP client's sockets either: Vert.x 5.1.6 hands a connection its socket metric only when the
   * client has endpoint metrics, and vertx-micrometer's byte counters then fail on the missing one (a
   * NullPointerException on every read). The gateway counts its connections itself.
   */
  @Override
  public TransportMetrics<?> createTcpClientMetrics(TcpClientConfig config, String protocol) {
    return HTTP_CLIENT_TRANSPORT.equals(protocol) ? null : delegate.createTcpClientMetrics(config, protocol);
  }

  @Override
  public TransportMetrics<?> createQuicEndpointMetrics(QuicEndpointConfig config, String protocol,
      SocketAddress localAddress) {
    return delegate.createQuicEndpointMetrics(config, protocol, localAddress);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return delegate.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
    return delegate.createPoolMetrics(type, name, maxSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    delegate.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return delegate.isMetricsEnabled();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
