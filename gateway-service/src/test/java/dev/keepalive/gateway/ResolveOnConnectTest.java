package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One --upstream name, no balancer: each new connection looks the name up again (ResolveOnConnect), so with
 * --dns-cache-ttl 0 an upstream re-created at another address is called there by the very next fan-out. Without it
 * Vert.x keeps the address it resolved first. (UpstreamAddressChangeTest shows the same with a cache TTL to wait
 * out, and /health meanwhile: too slow for PIT; this is the fast one.)
 */
class ResolveOnConnectTest {

  @Test
  void theNextFanOutAfterAnAddressChangeReachesTheNewAddress() throws Exception {
    int port = UpstreamOutageTest.freePort();
    UpstreamServer old = UpstreamServer.start(UpstreamConfig.defaults().with(b -> b.host = "127.0.0.2")
        .withPort(port).withMetricsPort(0)).await();
    UpstreamServer recreated = null;
    try (LoopbackDnsServer dns = new LoopbackDnsServer("upstream.keepalive.test", "127.0.0.2")) {
      GatewayConfig config = GatewayConfig.defaults("http://upstream.keepalive.test:" + port).withMetricsPort(0)
          .with(b -> b.discovery = new UpstreamDiscovery(Duration.ZERO, List.of(dns.hostPort()), null));
      GatewayServer gateway = GatewayServer.start(config).await();
      try {
        assertThat(Http.get(gateway.baseUrl() + "/fanout?calls=5").status()).isEqualTo(200);
        recreated = UpstreamServer.start(UpstreamConfig.defaults().with(b -> b.host = "127.0.0.3")
            .withPort(port).withMetricsPort(0)).await();
        old.close().await();
        old = null;
        dns.answer("127.0.0.3");

        Http.Answer next = Http.get(gateway.baseUrl() + "/fanout?calls=5");
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.json().getJsonObject("endpoints").fieldNames()).containsExactly("127.0.0.3:" + port);
      } finally {
        gateway.close().await();
      }
    } finally {
      if (old != null) old.close().await();
      if (recreated != null) recreated.close().await();
    }
  }
}
