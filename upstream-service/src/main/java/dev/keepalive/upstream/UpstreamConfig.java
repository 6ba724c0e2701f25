package dev.keepalive.upstream;

import static dev.keepalive.common.Check.*;

import dev.keepalive.common.Check;
import dev.keepalive.common.DurationConverter;
import dev.keepalive.common.TransportChoice;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

/** Everything the upstream service can be told, from flags or UPSTREAM_* environment variables. */
public record UpstreamConfig(
    String host,
    int port,
    Delay delay,
    int responseSize,
    double errorRate,
    Duration idleTimeout,
    boolean advertiseKeepAlive,
    int maxRequestsPerConnection,
    int maxConcurrentStreams,
    int instances,
    int metricsPort,
    TransportChoice transport,
    TlsSettings tls,
    boolean http3,
    Duration headersTimeout) {

  public UpstreamConfig {
    Check.port("--port", port);
    between("--response-size", responseSize, 0, 10 * 1024 * 1024);
    fraction("--error-rate", errorRate);
    notNegative("--idle-timeout", idleTimeout);
    notNegative("--headers-timeout", headersTimeout);
    atLeast("--max-requests-per-connection", maxRequestsPerConnection, 0);
    between("--max-concurrent-streams", maxConcurrentStreams, 1, 100_000);
    between("--instances", instances, 1, 256);
    if (metricsPort != -1) {
      Check.port("--metrics-port", metricsPort);
    }
    java.util.Objects.requireNonNull(transport, "--transport");
    if (tls == null) {
      tls = TlsSettings.OFF;
    }
    if (http3 && !tls.enabled()) {
      throw new IllegalArgumentException("--http3 needs --tls: QUIC always encrypts, with TLS 1.3");
    }
    if (http3 && !tls.versions().protocols().contains("TLSv1.3")) {
      throw new IllegalArgumentException("--http3 needs TLS 1.3 in --tls-versions (got " + tls.versions().spec() + ")");
    }
  }

  /** Defaults for tests and the embedded comparison: loopback, a free port. */
  public static UpstreamConfig defaults() {
    return new UpstreamConfig("127.0.0.1", 0, new Delay.Fixed(Duration.ofMillis(1)), 128, 0.0,
        Duration.ofSeconds(5), true, 0, 100, 1, -1, TransportChoice.AUTO, TlsSettings.OFF, false, Duration.ofSeconds(10));
  }

  /** A copy with some values changed: {@code config.with(b -> b.delay = Delay.parse("5ms"))}. */
  public UpstreamConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  public UpstreamConfig withPort(int p) {
    return with(b -> b.port = p);
  }

  public UpstreamConfig withDelay(Delay d) {
    return with(b -> b.delay = d);
  }

  public UpstreamConfig withIdleTimeout(Duration t, boolean advertise) {
    return with(b -> {
      b.idleTimeout = t;
      b.advertiseKeepAlive = advertise;
    });
  }

  /** 0 = no limit on how long a connection's first request line and headers may take. */
  public UpstreamConfig withHeadersTimeout(Duration t) {
    return with(b -> b.headersTimeout = t);
  }

  public UpstreamConfig withMaxRequestsPerConnection(int n) {
    return with(b -> b.maxRequestsPerConnection = n);
  }

  public UpstreamConfig withErrorRate(double rate) {
    return with(b -> b.errorRate = rate);
  }

  public UpstreamConfig withInstances(int n) {
    return with(b -> b.instances = n);
  }

  public UpstreamConfig withTransport(TransportChoice t) {
    return with(b -> b.transport = t);
  }

  /** Serves /metrics on a port of its own (0 = a free one), so scrapes are not counted as connections. */
  public UpstreamConfig withMetricsPort(int p) {
    return with(b -> b.metricsPort = p);
  }

  /** HTTPS on the port (with the certificate, versions and resumption the settings give). */
  public UpstreamConfig withTls(TlsSettings t) {
    return with(b -> b.tls = t);
  }

  /** HTTP/3 on UDP beside HTTP/1.1 and HTTP/2 on TCP, on the same port number (needs TLS). */
  public UpstreamConfig withHttp3() {
    return with(b -> b.http3 = true);
  }

  public boolean separateMetricsPort() {
    return metricsPort != -1;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("delay", delay.spec())
        .put("responseSize", responseSize)
        .put("errorRate", errorRate)
        .put("idleTimeout", DurationConverter.format(idleTimeout))
        .put("advertiseKeepAlive", advertiseKeepAlive)
        .put("maxRequestsPerConnection", maxRequestsPerConnection)
        .put("maxConcurrentStreams", maxConcurrentStreams)
        .put("instances", instances)
        .put("tls", tls.toJson())
        .put("http3", http3)
        .put("headersTimeout", headersTimeout.isZero() ? "off" : DurationConverter.format(headersTimeout));
  }

  /** Mutable copy of a configuration, validated again when built. */
  public static final class Builder {
    public String host;
    public int port;
    public Delay delay;
    public int responseSize;
    public double errorRate;
    public Duration idleTimeout;
    public boolean advertiseKeepAlive;
    public int maxRequestsPerConnection;
    public int maxConcurrentStreams;
    public int instances;
    public int metricsPort;
    public TransportChoice transport;
    public TlsSettings tls;
    public boolean http3;
    public Duration headersTimeout;

    Builder(UpstreamConfig c) {
      host = c.host;
      port = c.port;
      delay = c.delay;
      responseSize = c.responseSize;
      errorRate = c.errorRate;
      idleTimeout = c.idleTimeout;
      advertiseKeepAlive = c.advertiseKeepAlive;
      maxRequestsPerConnection = c.maxRequestsPerConnection;
      maxConcurrentStreams = c.maxConcurrentStreams;
      instances = c.instances;
      metricsPort = c.metricsPort;
      transport = c.transport;
      tls = c.tls;
      http3 = c.http3;
      headersTimeout = c.headersTimeout;
    }

    UpstreamConfig build() {
      return new UpstreamConfig(host, port, delay, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
          maxRequestsPerConnection, maxConcurrentStreams, instances, metricsPort, transport, tls, http3, headersTimeout);
    }
  }
}
