package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's health probes can go to the upstream's management port, outside the connections it counts. */
class HealthProbeTest {
  private static final String GW_TLS = "gateway_upstream_tls_handshakes_total";
  private static final String UP_TLS = "upstream_tls_handshakes_total";

  @TempDir
  Path dir;

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

  /**
   * /health probing an https:// upstream on its own client: its TLS handshake is counted by the upstream, not by the
   * gateway (like its connection: the gateway counts the pool under study only, docs/tls.md). With
   * --upstream-health-url on the upstream's plain management port, both sides' handshake counts stay equal.
   */
  @Test
  void aProbeOfAnHttpsUpstreamIsAHandshakeOnlyTheUpstreamCountsUnlessItProbesTheManagementPort() {
    Path cert = dir.resolve("upstream.pem");
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)
        .withTls(dev.keepalive.upstream.TlsSettings.generated().withCertOut(cert))).await();
    GatewayConfig tls = GatewayConfig.defaults(upstream.baseUrl()).withMetricsPort(0).withClient(true, 1, false, false, 10);
    tls = tls.withTls(tls.tls().withTrust(cert));
    GatewayConfig viaManagement = tls.with(b -> b.discovery = new UpstreamDiscovery(UpstreamDiscovery.DEFAULTS.cacheTtl(),
        List.of(), UpstreamAddress.parse("http://127.0.0.1:" + upstream.address().metricsPort())));
    try {
      GatewayServer gateway = GatewayServer.start(tls).await();
      try {
        JsonObject state = Http.get(gateway.baseUrl() + "/health").json().getJsonObject("upstream");
        assertThat(state.getString("state")).as(state.encode()).isEqualTo("UP");
        assertThat(state.getString("source")).isEqualTo("probe");
        assertThat(Scrape.of(upstream.metricsUrl()).count(UP_TLS, "resumed=\"false\"")).as("the probe's").isEqualTo(1);
        assertThat(Scrape.of(gateway.metricsUrl()).countOrZero(GW_TLS)).isZero();
        assertThat(Http.get(gateway.baseUrl() + "/fanout?calls=5").status()).isEqualTo(200);
        assertThat(Scrape.of(gateway.metricsUrl()).count(GW_TLS)).as("the pool's one connection").isEqualTo(1);
        assertThat(Scrape.of(upstream.metricsUrl()).count(UP_TLS)).as("the pool's and the probe's").isEqualTo(2);
      } finally {
        gateway.close().await();
      }

      GatewayServer managed = GatewayServer.start(viaManagement).await();
      try {
        long before = Scrape.of(upstream.metricsUrl()).count(UP_TLS);
        JsonObject state = Http.get(managed.baseUrl() + "/health").json().getJsonObject("upstream");
        assertThat(state.getString("source")).isEqualTo("probe");
        assertThat(state.getString("state")).as(state.encode()).isEqualTo("UP");
        assertThat(Http.get(managed.baseUrl() + "/fanout?calls=5").status()).isEqualTo(200);
        assertThat(Scrape.of(upstream.metricsUrl()).count(UP_TLS) - before).as("the upstream's, for this gateway")
            .isEqualTo(Scrape.of(managed.metricsUrl()).count(GW_TLS)).isEqualTo(1);
      } finally {
        managed.close().await();
      }
    } finally {
      upstream.close().await();
    }
  }
}
