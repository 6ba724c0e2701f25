package dev.keepalive.upstream;

import static dev.keepalive.common.Check.*;
import dev.keepalive.common.Check;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

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
    int metricsPort) {

  public UpstreamConfig {
    Check.port("--port", port);
    between("--response-size", responseSize, 0, 10 * 1024 * 1024);
    fraction("--error-rate", errorRate);
    notNegative("--idle-timeout", idleTimeout);
    atLeast("--max-requests-per-connection", maxRequestsPerConnection, 0);
    between("--max-concurrent-streams", maxConcurrentStreams, 1, 100_000);
    between("--instances", instances, 1, 256);
    if (metricsPort != -1) {
      Check.port("--metrics-port", metricsPort);
    }
  }

  /** Defaults for tests and the embedded comparison: loopback, a free port. */
  public static UpstreamConfig defaults() {
    return new UpstreamConfig("127.0.0.1", 0, new Delay.Fixed(Duration.ofMillis(1)), 128, 0.0,
        Duration.ofSeconds(5), true, 0, 100, 1, -1);
  }

  public UpstreamConfig withPort(int p) {
    return new UpstreamConfig(host, p, delay, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
        maxRequestsPerConnection, maxConcurrentStreams, instances, metricsPort);
  }

  public UpstreamConfig withDelay(Delay d) {
    return new UpstreamConfig(host, port, d, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
        maxRequestsPerConnection, maxConcurrentStreams, instances, metricsPort);
  }

  public UpstreamConfig withIdleTimeout(Duration t, boolean advertise) {
    return new UpstreamConfig(host, port, delay, responseSize, errorRate, t, advertise,
        maxRequestsPerConnection, maxConcurrentStreams, instances, metricsPort);
  }

  public UpstreamConfig withMaxRequestsPerConnection(int n) {
    return new UpstreamConfig(host, port, delay, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
        n, maxConcurrentStreams, instances, metricsPort);
  }

  public UpstreamConfig withErrorRate(double rate) {
    return new UpstreamConfig(host, port, delay, responseSize, rate, idleTimeout, advertiseKeepAlive,
        maxRequestsPerConnection, maxConcurrentStreams, instances, metricsPort);
  }

  public UpstreamConfig withInstances(int n) {
    return new UpstreamConfig(host, port, delay, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
        maxRequestsPerConnection, maxConcurrentStreams, n, metricsPort);
  }

  /** Serves /metrics on a port of its own (0 = a free one), so scrapes are not counted as connections. */
  public UpstreamConfig withMetricsPort(int p) {
    return new UpstreamConfig(host, port, delay, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
        maxRequestsPerConnection, maxConcurrentStreams, instances, p);
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
        .put("instances", instances);
  }
}
