package dev.keepalive.gateway;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * An upstream and a gateway on free loopback ports, each with /metrics on a port of its own so that
 * scrapes are not counted among the connections under test.
 */
final class Stack implements AutoCloseable {
  final UpstreamServer upstream;
  final GatewayServer gateway;

  private Stack(UpstreamServer upstream, GatewayServer gateway) {
    this.upstream = upstream;
    this.gateway = gateway;
  }

  static Stack start(UnaryOperator<UpstreamConfig> upstreamConfig, UnaryOperator<GatewayConfig> gatewayConfig) {
    UpstreamServer upstream = UpstreamServer.start(upstreamConfig.apply(UpstreamConfig.defaults().withMetricsPort(0))).await();
    GatewayServer gateway = GatewayServer.start(
        gatewayConfig.apply(GatewayConfig.defaults(upstream.baseUrl()).withMetricsPort(0))).await();
    return new Stack(upstream, gateway);
  }

  Http.Answer fanout(String query) {
    return Http.get(gateway.baseUrl() + "/fanout" + query);
  }

  Scrape gatewayMetrics() {
    return Scrape.of(gateway.metricsUrl());
  }

  Scrape upstreamMetrics() {
    return Scrape.of(upstream.metricsUrl());
  }

  /** Polls a condition until it holds or the deadline passes: for effects that have no future to await. */
  static void await(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline + " waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    gateway.close().await();
    upstream.close().await();
  }
}
