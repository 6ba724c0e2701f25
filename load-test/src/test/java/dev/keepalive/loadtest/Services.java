package dev.keepalive.loadtest;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real upstream and gateway on free loopback ports, for the tests; read their metrics through Micrometer. */
record Services(UpstreamServer upstream, GatewayServer gateway) implements AutoCloseable {

  static Services start(String delay, UnaryOperator<GatewayConfig> gateway) throws Exception {
    UpstreamServer up = UpstreamServer.start(UpstreamConfig.defaults().withDelay(Delay.parse(delay)))
        .await(30, TimeUnit.SECONDS);
    try {
      GatewayServer gw = GatewayServer.start(gateway.apply(GatewayConfig.defaults(up.baseUrl())))
          .await(30, TimeUnit.SECONDS);
      return new Services(up, gw);
    } catch (Exception e) {
      up.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  String target() {
    return gateway.baseUrl();
  }

  String upstreamMetrics() {
    return upstream.baseUrl() + "/metrics";
  }

  /** The sum of a counter family over all its tags, as the service's registry holds it. */
  static long counter(MeterRegistry registry, String name) {
    return Math.round(registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum());
  }

  long gatewayCounter(String name) {
    return counter(gateway.registry(), name);
  }

  long upstreamCounter(String name) {
    return counter(upstream.registry(), name);
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
