package dev.keepalive.gateway;

import static dev.keepalive.common.Check.*;

import dev.keepalive.common.Check;
import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Everything the gateway can be told, from flags or GATEWAY_* environment variables. */
public record GatewayConfig(
    String host,
    int port,
    UpstreamAddress upstream,
    int fanOut,
    int maxFanOut,
    boolean keepAlive,
    int poolSize,
    Duration keepAliveTimeout,
    boolean http2,
    boolean pipelining,
    int pipeliningLimit,
    int maxWaitQueue,
    Duration connectTimeout,
    Duration requestTimeout,
    int instances,
    int metricsPort) {

  public GatewayConfig {
    Check.port("--port", port);
    between("--max-fan-out", maxFanOut, 1, 100_000);
    between("--fan-out", fanOut, 1, maxFanOut);
    between("--pool-size", poolSize, 1, 10_000);
    positive("--keep-alive-timeout", keepAliveTimeout);
    if (http2 && pipelining) {
      throw new IllegalArgumentException("--http2 and --pipelining exclude each other: HTTP/2 multiplexes, pipelining is HTTP/1.1 only");
    }
    between("--pipelining-limit", pipeliningLimit, 1, 10_000);
    if (maxWaitQueue < -1) {
      throw new IllegalArgumentException("Invalid value for --max-wait-queue: " + maxWaitQueue + " (-1 for unbounded, or 0 and above)");
    }
    positive("--connect-timeout", connectTimeout);
    positive("--request-timeout", requestTimeout);
    between("--instances", instances, 1, 256);
    if (metricsPort != -1) {
      Check.port("--metrics-port", metricsPort);
    }
  }

  /** Defaults for tests and the embedded comparison: loopback, a free port, one event loop. */
  public static GatewayConfig defaults(String upstreamUrl) {
    return new GatewayConfig("127.0.0.1", 0, UpstreamAddress.parse(upstreamUrl), 100, 1000, true, 10,
        Duration.ofSeconds(4), false, false, 10, 10_000, Duration.ofSeconds(1), Duration.ofSeconds(5), 1, -1);
  }

  public String protocol() {
    return http2 ? "HTTP/2" : "HTTP/1.1";
  }

  public GatewayConfig withPort(int p) {
    return new GatewayConfig(host, p, upstream, fanOut, maxFanOut, keepAlive, poolSize, keepAliveTimeout, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, instances, metricsPort);
  }

  /** The client configuration: keep-alive, pool size, protocol, pipelining. */
  public GatewayConfig withClient(boolean keepAlive, int poolSize, boolean http2, boolean pipelining, int pipeliningLimit) {
    return new GatewayConfig(host, port, upstream, fanOut, maxFanOut, keepAlive, poolSize, keepAliveTimeout, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, instances, metricsPort);
  }

  public GatewayConfig withKeepAliveTimeout(Duration t) {
    return new GatewayConfig(host, port, upstream, fanOut, maxFanOut, keepAlive, poolSize, t, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, instances, metricsPort);
  }

  public GatewayConfig withFanOut(int n) {
    return new GatewayConfig(host, port, upstream, n, Math.max(n, maxFanOut), keepAlive, poolSize, keepAliveTimeout,
        http2, pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, instances, metricsPort);
  }

  public GatewayConfig withTimeouts(Duration connect, Duration request) {
    return new GatewayConfig(host, port, upstream, fanOut, maxFanOut, keepAlive, poolSize, keepAliveTimeout, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connect, request, instances, metricsPort);
  }

  public GatewayConfig withInstances(int n) {
    return new GatewayConfig(host, port, upstream, fanOut, maxFanOut, keepAlive, poolSize, keepAliveTimeout, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, n, metricsPort);
  }

  /** Serves /metrics on a port of its own (0 = a free one). */
  public GatewayConfig withMetricsPort(int p) {
    return new GatewayConfig(host, port, upstream, fanOut, maxFanOut, keepAlive, poolSize, keepAliveTimeout, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, instances, p);
  }

  public boolean separateMetricsPort() {
    return metricsPort != -1;
  }

  /** The client configuration in effect, as every /fanout answer reports it. */
  public JsonObject clientJson() {
    return new JsonObject()
        .put("upstream", upstream.toString())
        .put("protocol", protocol())
        .put("keepAlive", keepAlive)
        .put("poolSize", poolSize)
        .put("keepAliveTimeout", DurationConverter.format(keepAliveTimeout))
        .put("pipelining", pipelining)
        .put("pipeliningLimit", pipeliningLimit)
        .put("maxWaitQueue", maxWaitQueue)
        .put("connectTimeout", DurationConverter.format(connectTimeout))
        .put("requestTimeout", DurationConverter.format(requestTimeout));
  }
}
