package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upstream is re-created at a new address under the same name, as compose does with a container, while
 * DNS answers with Docker's 600 s TTL: the gateway finds it again once --dns-cache-ttl has passed, and its
 * /health says DOWN (503) while it cannot reach it. Two loopback addresses (127.0.0.2, 127.0.0.3) stand for
 * the old and the new container.
 */
class UpstreamAddressChangeTest {
  /** Long enough that the calls right after the change still see the cached old address, even on a slow machine. */
  private static final Duration TTL = Duration.ofSeconds(12);

  @Test
  void aReCreatedUpstreamIsFoundAtItsNewAddressOnceTheDnsCacheTtlHasPassedAndHealthSaysDownUntilThen() throws Exception {
    int port = UpstreamOutageTest.freePort();
    UpstreamServer old = UpstreamServer.start(UpstreamConfig.defaults().with(b -> b.host = "127.0.0.2")
        .withPort(port).withMetricsPort(0)).await();
    UpstreamServer recreated = null;
    try (LoopbackDnsServer dns = new LoopbackDnsServer("upstream.keepalive.test", "127.0.0.2")) {
      GatewayConfig config = GatewayConfig.defaults("http://upstream.keepalive.test:" + port).withMetricsPort(0)
          .with(b -> b.discovery = new UpstreamDiscovery(TTL, List.of(dns.hostPort()), null));
      GatewayServer gateway = GatewayServer.start(config).await();
      try {
        assertThat(Http.get(gateway.baseUrl() + "/fanout?calls=5").status()).isEqualTo(200);
        assertThat(dns.addressQueries()).isEqualTo(1);

        // compose re-creates the container: the old address is gone, the name now points at the new one.
        recreated = UpstreamServer.start(UpstreamConfig.defaults().with(b -> b.host = "127.0.0.3")
            .withPort(port).withMetricsPort(0)).await();
        old.close().await();
        old = null;
        dns.answer("127.0.0.3");

        Http.Answer stale = Http.get(gateway.baseUrl() + "/fanout?calls=5");
        assertThat(stale.status()).as(stale.body()).isEqualTo(502);
        assertThat(stale.json().getJsonObject("errors").fieldNames()).containsExactly("connect_refused");
        // Once no call has been answered for 5 s, /health says DOWN (compose's healthcheck turns red).
        Stack.await("/health to say DOWN", TTL, () -> {
          Http.get(gateway.baseUrl() + "/fanout?calls=5");
          Http.Answer health = Http.get(gateway.baseUrl() + "/health");
          return health.status() == 503 && health.json().getString("status").equals("DOWN");
        });

        // Without a bound the 600 s TTL would keep the old address for ten minutes; with 12 s it is asked again.
        Stack.await("a fan-out to reach the re-created upstream", TTL.multipliedBy(4),
            () -> Http.get(gateway.baseUrl() + "/fanout?calls=5").status() == 200);
        assertThat(dns.addressQueries()).isGreaterThanOrEqualTo(2);
        Http.Answer healthy = Http.get(gateway.baseUrl() + "/health");
        assertThat(healthy.status()).isEqualTo(200);
        assertThat(healthy.json().getString("status")).isEqualTo("UP");
      } finally {
        gateway.close().await();
      }
    } finally {
      if (old != null) old.close().await();
      if (recreated != null) recreated.close().await();
    }
  }
}
