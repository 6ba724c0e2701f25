package dev.keepalive.loadtest;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** An upstream and a gateway in this JVM, on free loopback ports, fresh for each configuration. */
final class EmbeddedStack implements AutoCloseable {
  private final UpstreamServer upstream;
  private final GatewayServer gateway;

  private EmbeddedStack(UpstreamServer upstream, GatewayServer gateway) {
    this.upstream = upstream;
    this.gateway = gateway;
  }

  /** @param fanOut the gateway's default calls per request, and at least its maximum */
  static EmbeddedStack start(UpstreamConfig upstreamConfig, ClientConfig client, int fanOut, int gatewayInstances)
      throws Exception {
    UpstreamServer upstream = UpstreamServer.start(upstreamConfig).await(30, TimeUnit.SECONDS);
    try {
      // Generous timeouts and no load shedding: the comparison measures queueing as latency, it does
      // not turn a busy machine's slow calls into errors.
      GatewayConfig g = client.applyTo(GatewayConfig.defaults(upstream.baseUrl()))
          .withFanOut(fanOut)
          .withInstances(gatewayInstances)
          .with(b -> {
            b.requestTimeout = Duration.ofSeconds(10);
            b.fanoutTimeout = Duration.ofSeconds(30);
            b.maxConcurrentFanouts = 10_000;
            b.admission = dev.keepalive.gateway.AdmissionSettings.fixed();
            b.maxWaitQueue = -1;
          });
      return new EmbeddedStack(upstream, GatewayServer.start(g).await(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      upstream.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
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
      upstream.close().await(30, TimeUnit.SECONDS);
    }
  }
}
