package dev.keepalive.gateway;

import static dev.keepalive.common.Check.*;

import dev.keepalive.common.Check;
import dev.keepalive.common.DurationConverter;
import dev.keepalive.common.server.ServerLimits;
import dev.keepalive.common.TransportChoice;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

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
    Duration fanoutTimeout,
    boolean retry,
    int maxConcurrentFanouts,
    Duration shutdownGrace,
    int instances,
    int metricsPort,
    TransportChoice transport,
    TlsSettings tls,
    AdmissionSettings admission,
    ServerLimits serverLimits,
    UpstreamDiscovery discovery,
    UpstreamReplicas replicas,
    boolean http3) {

  public GatewayConfig {
    // One URL: --upstream is the endpoint (its name may have several A records). Several: the first is the default.
    if (replicas == null) {
      replicas = UpstreamReplicas.single(upstream);
    } else if (!replicas.endpoints().several()) {
      replicas = new UpstreamReplicas(new UpstreamEndpoints(java.util.List.of(upstream)), replicas.loadBalancer(),
          replicas.maxConnectionAge());
    } else {
      upstream = replicas.endpoints().primary();
    }
    Check.port("--port", port);
    between("--max-fan-out", maxFanOut, 1, 100_000);
    between("--fan-out", fanOut, 1, maxFanOut);
    between("--pool-size", poolSize, 1, 10_000);
    positive("--keep-alive-timeout", keepAliveTimeout);
    if (http2 && pipelining) {
      throw new IllegalArgumentException("--http2 and --pipelining exclude each other: HTTP/2 multiplexes, pipelining is HTTP/1.1 only");
    }
    if (http3 && (http2 || pipelining)) {
      throw new IllegalArgumentException("--http3 excludes " + (http2 ? "--http2" : "--pipelining")
          + ": HTTP/3 multiplexes over QUIC, the others are TCP protocols");
    }
    between("--pipelining-limit", pipeliningLimit, 1, 10_000);
    if (maxWaitQueue < -1) {
      throw new IllegalArgumentException("Invalid value for --max-wait-queue: " + maxWaitQueue + " (-1 for unbounded, or 0 and above)");
    }
    positive("--connect-timeout", connectTimeout);
    positive("--request-timeout", requestTimeout);
    positive("--fanout-timeout", fanoutTimeout);
    between("--max-concurrent-fanouts", maxConcurrentFanouts, 1, 1_000_000);
    notNegative("--shutdown-grace", shutdownGrace);
    between("--instances", instances, 1, 256);
    if (metricsPort != -1) {
      Check.port("--metrics-port", metricsPort);
    }
    java.util.Objects.requireNonNull(transport, "--transport");
    if (tls == null) {
      tls = TlsSettings.DEFAULTS;
    }
    if (http3 && !replicas.maxConnectionAge().isZero()) {
      // Vert.x 5.1.6 drains an HTTP/3 client connection by cancelling its calls in flight (VertxHttp3ClientShutdownTest).
      throw new IllegalArgumentException("--max-connection-age does not work with --http3 in Vert.x 5.1.6: draining an "
          + "HTTP/3 connection loses every call in flight on it but the first (docs/http3.md)");
    }
    if (http3 && !upstream.tls()) {
      throw new IllegalArgumentException("--http3 needs an https:// --upstream: QUIC always encrypts (got " + upstream + ")");
    }
    if (tls.customised() && !upstream.tls()) {
      throw new IllegalArgumentException(tls.customisingFlag() + " needs an https:// --upstream (got " + upstream + ")");
    }
    if (admission == null || serverLimits == null) {
      throw new IllegalArgumentException("admission and server limits must be given");
    }
  }

  /** Defaults for tests and the embedded comparison: loopback, a free port, one event loop. */
  public static GatewayConfig defaults(String upstreamUrl) {
    return new GatewayConfig("127.0.0.1", 0, UpstreamAddress.parse(upstreamUrl), 100, 1000, true, 10,
        Duration.ofSeconds(4), false, false, 10, 10_000, Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), true, 64, Duration.ofSeconds(10), 1, -1, TransportChoice.AUTO, TlsSettings.DEFAULTS,
        AdmissionSettings.defaults(), ServerLimits.gatewayDefaults(),
        UpstreamDiscovery.DEFAULTS, null, false);
  }

  public String protocol() {
    return http3 ? "HTTP/3" : http2 ? "HTTP/2" : "HTTP/1.1";
  }

  /** A copy with some values changed: {@code config.with(b -> b.poolSize = 1)}. */
  public GatewayConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return new GatewayConfig(b.host, b.port, b.upstream, b.fanOut, b.maxFanOut, b.keepAlive, b.poolSize, b.keepAliveTimeout,
        b.http2, b.pipelining, b.pipeliningLimit, b.maxWaitQueue, b.connectTimeout, b.requestTimeout, b.fanoutTimeout,
        b.retry, b.maxConcurrentFanouts, b.shutdownGrace, b.instances, b.metricsPort, b.transport, b.tls, b.admission,
        b.serverLimits, b.discovery, b.replicas, b.http3);
  }

  public GatewayConfig withPort(int p) {
    return with(b -> b.port = p);
  }

  /** The client configuration: keep-alive, pool size, protocol, pipelining. */
  public GatewayConfig withClient(boolean keepAlive, int poolSize, boolean http2, boolean pipelining, int pipeliningLimit) {
    return with(b -> {
      b.keepAlive = keepAlive;
      b.poolSize = poolSize;
      b.http2 = http2;
      b.pipelining = pipelining;
      b.pipeliningLimit = pipeliningLimit;
    });
  }

  public GatewayConfig withKeepAliveTimeout(Duration t) {
    return with(b -> b.keepAliveTimeout = t);
  }

  public GatewayConfig withFanOut(int n) {
    return with(b -> {
      b.fanOut = n;
      b.maxFanOut = Math.max(n, b.maxFanOut);
    });
  }

  public GatewayConfig withTimeouts(Duration connect, Duration request) {
    return with(b -> {
      b.connectTimeout = connect;
      b.requestTimeout = request;
    });
  }

  /** Calls over HTTP/3 (QUIC), on a pool of --pool-size QUIC connections. */
  public GatewayConfig withHttp3() {
    return with(b -> {
      b.http3 = true;
      b.http2 = false;
      b.pipelining = false;
    });
  }

  public GatewayConfig withInstances(int n) {
    return with(b -> b.instances = n);
  }

  /** Serves /metrics on a port of its own (0 = a free one). */
  public GatewayConfig withMetricsPort(int p) {
    return with(b -> b.metricsPort = p);
  }

  /** How to speak TLS to an https:// upstream. */
  public GatewayConfig withTls(TlsSettings t) {
    return with(b -> b.tls = t);
  }

  /** Several replicas, a load balancer, a maximum connection age (see {@link UpstreamReplicas}). */
  public GatewayConfig withReplicas(UpstreamReplicas r) {
    return with(b -> {
      b.replicas = r;
      b.upstream = r.endpoints().primary();
    });
  }

  public boolean separateMetricsPort() {
    return metricsPort != -1;
  }

  /**
   * The client configuration in effect, as every /fanout answer reports it.
   * @param transport the transport the gateway's Vert.x runs on (the flag's choice, resolved)
   */
  public JsonObject clientJson(TransportChoice transport) {
    return new JsonObject()
        .put("upstream", upstream.toString())
        .put("protocol", protocol())
        .put("keepAlive", keepAlive)
        .put("poolSize", poolSize)
        // Event loops the pool is split over (UpstreamLanes): a fan-out uses its own lane's share.
        .put("lanes", Math.min(instances, poolSize))
        .put("keepAliveTimeout", DurationConverter.format(keepAliveTimeout))
        .put("pipelining", pipelining)
        .put("pipeliningLimit", pipeliningLimit)
        .put("maxWaitQueue", maxWaitQueue)
        .put("connectTimeout", DurationConverter.format(connectTimeout))
        .put("requestTimeout", DurationConverter.format(requestTimeout))
        .put("fanoutTimeout", DurationConverter.format(fanoutTimeout))
        .put("retry", retry)
        .put("transport", transport.label())
        .put("tls", upstream.tls() ? tls.toJson() : null)
        .put("replicas", replicas.json());
  }

  /** Mutable copy of a configuration for {@link #with}, which validates it again. */
  public static final class Builder {
    public String host;
    public int port;
    public UpstreamAddress upstream;
    public int fanOut;
    public int maxFanOut;
    public boolean keepAlive;
    public int poolSize;
    public Duration keepAliveTimeout;
    public boolean http2;
    public boolean pipelining;
    public int pipeliningLimit;
    public int maxWaitQueue;
    public Duration connectTimeout;
    public Duration requestTimeout;
    public Duration fanoutTimeout;
    public boolean retry;
    public int maxConcurrentFanouts;
    public Duration shutdownGrace;
    public int instances;
    public int metricsPort;
    public TransportChoice transport;
    public TlsSettings tls;
    public AdmissionSettings admission;
    public ServerLimits serverLimits;
    public UpstreamDiscovery discovery;
    public UpstreamReplicas replicas;
    public boolean http3;

    Builder(GatewayConfig c) {
      host = c.host;
      port = c.port;
      upstream = c.upstream;
      fanOut = c.fanOut;
      maxFanOut = c.maxFanOut;
      keepAlive = c.keepAlive;
      poolSize = c.poolSize;
      keepAliveTimeout = c.keepAliveTimeout;
      http2 = c.http2;
      pipelining = c.pipelining;
      pipeliningLimit = c.pipeliningLimit;
      maxWaitQueue = c.maxWaitQueue;
      connectTimeout = c.connectTimeout;
      requestTimeout = c.requestTimeout;
      fanoutTimeout = c.fanoutTimeout;
      retry = c.retry;
      maxConcurrentFanouts = c.maxConcurrentFanouts;
      shutdownGrace = c.shutdownGrace;
      instances = c.instances;
      metricsPort = c.metricsPort;
      transport = c.transport;
      tls = c.tls;
      admission = c.admission;
      serverLimits = c.serverLimits;
      discovery = c.discovery;
      replicas = c.replicas;
      http3 = c.http3;
    }
  }
}
