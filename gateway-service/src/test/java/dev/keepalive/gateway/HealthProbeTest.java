package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's health probes can go to the upstream's management port, outside the connections it counts. */
class HealthProbeTest {

  @Test
  void probesToTheUpstreamHealthUrlDoNotCountAsUpstreamConnections() {
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)).await();
    int management = upstream.address().metricsPort();
    GatewayConfig config = GatewayConfig.defaults(upstream.baseUrl()).withMetricsPort(0).with(b -> b.discovery =
        new UpstreamDiscovery(UpstreamDiscovery.DEFAULTS.cacheTtl(), List.of(),
            UpstreamAddress.parse("http://127.0.0.1:" + management)));
    GatewayServer gateway = GatewayServer.start(config).await();
    try {
      Http.Answer health = Http.get(gateway.baseUrl() + "/health");
      assertThat(health.status()).isEqualTo(200);
      JsonObject state = health.json().getJsonObject("upstream");
      assertThat(state.getString("state")).isEqualTo("UP");
      assertThat(state.getString("source")).isEqualTo("probe");

      Scrape scrape = Scrape.of(upstream.metricsUrl());
      assertThat(scrape.count("upstream_connections_accepted_total")).isZero();
      assertThat(Http.get(gateway.baseUrl() + "/fanout?calls=5").status()).isEqualTo(200);
      assertThat(Scrape.of(upstream.metricsUrl()).count("upstream_connections_accepted_total")).isEqualTo(5);
    } finally {
      gateway.close().await();
      upstream.close().await();
    }
  }
}
