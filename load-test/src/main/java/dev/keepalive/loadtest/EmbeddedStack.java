package dev.keepalive.loadtest;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.upstream.TlsSettings;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
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
   * @param upstreamConfig its TLS settings (engine, versions) apply to the TLS configurations only
   */
  static EmbeddedStack start(UpstreamConfig upstreamConfig, ClientConfig client, int fanOut, int gatewayInstances,
      UpstreamPath requested) throws Exception {
    // Over TLS the upstream's /metrics moves to a plain port of its own, for the scraper.
    boolean tls = client.tls() != ClientConfig.Tls.NONE;
    // HTTP/3 (always over TLS): the upstream also serves QUIC on UDP, on its TCP port number.
    // -tls-noresume: the upstream refuses to resume (the server's choice, with either engine); the gateway still offers.
    UpstreamConfig served = !tls ? upstreamConfig.withTls(TlsSettings.OFF) : upstreamConfig.withMetricsPort(0)
        .withTls(upstreamConfig.tls().enable().withSessionResumption(client.tls() == ClientConfig.Tls.RESUME));
    UpstreamServer upstream = UpstreamServer.start(client.http3() ? served.withHttp3() : served)
        .await(30, TimeUnit.SECONDS);
    Vertx linkVertx = null;
    LatencyLink link = null;
    try {
      // Before the run's first scrape, so these connects are not counted as the run's.
      UpstreamPath path = requested.measuredTo("127.0.0.1", upstream.port()).speaking(ConnectionSetup.of(client, upstreamConfig.tls().versions()));
      String upstreamUrl = upstream.baseUrl();
      if (path.linked()) {
        linkVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        link = LatencyLink.start(linkVertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
            new HostPort("127.0.0.1", upstream.port()), path.rtt(), path.jitter()).withLoss(path.loss()))
            .await(30, TimeUnit.SECONDS);
        // The link relays bytes: TLS passes through it end to end.
        upstreamUrl = (tls ? "https" : "http") + "://127.0.0.1:" + link.port();
      }
      // Generous timeouts and no load shedding: the comparison measures queueing as latency, it does
      // not turn a busy machine's slow calls into errors.
      GatewayConfig g = client.applyTo(GatewayConfig.defaults(upstreamUrl))
          .withFanOut(fanOut)
          .withInstances(gatewayInstances)
          .with(b -> {
            b.requestTimeout = Duration.ofSeconds(10);
            // A cold JVM's first QUIC handshake loads quiche and BoringSSL: over 1 s on a busy machine.
            if (client.http3()) {
              b.connectTimeout = Duration.ofSeconds(10);
            }
            b.fanoutTimeout = Duration.ofSeconds(30);
            b.maxConcurrentFanouts = 10_000;
            b.admission = dev.keepalive.gateway.AdmissionSettings.fixed();
            b.maxWaitQueue = -1;
            b.transport = upstreamConfig.transport(); // one --transport for both services
          });
      if (tls) {
        // The gateway trusts the upstream's generated certificate, so a full handshake includes verifying it.
        Path trust = Files.createTempFile("upstream-", ".pem");
        trust.toFile().deleteOnExit();
        Files.writeString(trust, upstream.tls().certificate().certificatePem());
        g = g.withTls(g.tls().withTrust(trust).withEngine(upstreamConfig.tls().engine()));
      }
      return new EmbeddedStack(upstream, linkVertx, link, GatewayServer.start(g).await(30, TimeUnit.SECONDS), path);
    } catch (Exception e) {
      if (linkVertx != null) {
        linkVertx.close().await(10, TimeUnit.SECONDS);
      }
      upstream.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * The path between gateway and upstream, with its connect cost as measured and what the link carried so far; for
   * QUIC, the round trips its handshakes waited for and whether the server sent Retry packets, as the link saw them.
   */
  UpstreamPath pathCarried() {
    if (link == null) {
      return path;
    }
    UpstreamPath carried = path.carried(link.stats().opened());
    return path.setup().overQuic()
        ? carried.speaking(ConnectionSetup.quic(link.quicRetries(), link.quicHandshakes(), link.quicHandshakeRoundTrips()))
        : carried;
  }

  Target gateway() {
    return Target.parse("--target", gateway.baseUrl());
  }

  Target gatewayMetrics() {
    return gateway().resolve("/metrics");
  }

  Target upstreamMetrics() {
    return Target.parse("--upstream-metrics", upstream.metricsUrl());
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
