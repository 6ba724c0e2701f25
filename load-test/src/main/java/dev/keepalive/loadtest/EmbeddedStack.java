package dev.keepalive.loadtest;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An upstream and a gateway in this JVM, on free loopback ports, fresh for each configuration; with an
 * RTT, the latency link between them (on a Vert.x of its own, so it never waits behind the gateway's
 * event loop).
 */
final class EmbeddedStack implements AutoCloseable {
  private final UpstreamServer upstream;
  private final Vertx linkVertx;
  private final LatencyLink link;
  private final GatewayServer gateway;
  private final UpstreamPath path;

  private EmbeddedStack(UpstreamServer upstream, Vertx linkVertx, LatencyLink link, GatewayServer gateway,
      UpstreamPath path) {
    this.upstream = upstream;
    this.linkVertx = linkVertx;
    this.link = link;
    this.gateway = gateway;
    this.path = path;
  }

  /**
   * @param fanOut the gateway's default calls per request, and at least its maximum
   * @param requested the round trip to put between gateway and upstream (rtt 0: none)
   */
  static EmbeddedStack start(UpstreamConfig upstreamConfig, ClientConfig client, int fanOut, int gatewayInstances,
      UpstreamPath requested) throws Exception {
    UpstreamServer upstream = UpstreamServer.start(upstreamConfig).await(30, TimeUnit.SECONDS);
    Vertx linkVertx = null;
    LatencyLink link = null;
    try {
      // Before the run's first scrape, so these connects are not counted as the run's.
      UpstreamPath path = requested.measuredTo("127.0.0.1", upstream.port());
      String upstreamUrl = upstream.baseUrl();
      if (path.linked()) {
        linkVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        link = LatencyLink.start(linkVertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
            new HostPort("127.0.0.1", upstream.port()), path.rtt(), path.jitter())).await(30, TimeUnit.SECONDS);
        upstreamUrl = "http://127.0.0.1:" + link.port();
      }
      // Generous timeouts and no load shedding: the comparison measures queueing as latency, it does
      // not turn a busy machine's slow calls into errors.
      GatewayConfig g = client.applyTo(GatewayConfig.defaults(upstreamUrl))
          .withFanOut(fanOut)
          .withInstances(gatewayInstances)
          .with(b -> {
            b.requestTimeout = Duration.ofSeconds(10);
            b.fanoutTimeout = Duration.ofSeconds(30);
            b.maxConcurrentFanouts = 10_000;
            b.maxWaitQueue = -1;
          });
      return new EmbeddedStack(upstream, linkVertx, link, GatewayServer.start(g).await(30, TimeUnit.SECONDS), path);
    } catch (Exception e) {
      if (linkVertx != null) {
        linkVertx.close().await(10, TimeUnit.SECONDS);
      }
      upstream.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The path between gateway and upstream, with its connect cost as measured and what the link carried so far. */
  UpstreamPath pathCarried() {
    return link == null ? path : path.carried(link.stats().opened());
  }

  Target gateway() {
    return Target.parse("--target", gateway.baseUrl());
  }

  Target gatewayMetrics() {
    return gateway().resolve("/metrics");
  }

  Target upstreamMetrics() {
    return Target.parse("--upstream-metrics", upstream.baseUrl() + "/metrics");
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close().await(30, TimeUnit.SECONDS);
    } finally {
      try {
        if (linkVertx != null) {
          linkVertx.close().await(30, TimeUnit.SECONDS);
        }
      } finally {
        upstream.close().await(30, TimeUnit.SECONDS);
      }
    }
  }
}
