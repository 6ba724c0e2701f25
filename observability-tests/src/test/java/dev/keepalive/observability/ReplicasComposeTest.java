package dev.keepalive.observability;

import static dev.keepalive.observability.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.LoadBalancing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compose runs the upstream as three replicas behind one DNS name: the gateways balance, Prometheus scrapes each. */
class ReplicasComposeTest {
  private final ComposeFile compose = ComposeFile.load();

  @Test
  void threeUpstreamReplicasBehindOneNameEachWithAHostPort() {
    assertThat(String.valueOf(map(compose.service("upstream").get("deploy")).get("replicas"))).isEqualTo("3");
    assertThat(ComposeFile.load(Map.of("UPSTREAM_REPLICAS", "5")).service("upstream").get("deploy"))
        .asString().contains("replicas=5");
    // A port range: one host port per replica, so a second replica does not collide with the first.
    assertThat(compose.service("upstream").get("ports")).asString().contains("8081-8083");
  }

  @Test
  void bothGatewaysBalanceOverEveryAddressOfTheName() {
    for (String gateway : List.of("gateway-keepalive", "gateway-no-keepalive")) {
      GatewayConfig g = ComposeFileTest.gatewayConfig(compose.command(gateway));
      assertThat(g.upstream().host()).isEqualTo("upstream");
      assertThat(g.replicas().loadBalancer()).as(gateway).isEqualTo(LoadBalancing.ROUND_ROBIN);
    }
    GatewayConfig aged = ComposeFileTest.gatewayConfig(
        ComposeFile.load(Map.of("GATEWAY_MAX_CONNECTION_AGE", "30s")).command("gateway-keepalive"));
    assertThat(aged.replicas().maxConnectionAge()).hasSeconds(30);
  }

  @Test
  void prometheusFindsEachReplicaByDns() {
    Map<String, Object> job = PrometheusConfig.load().scrapeConfigs().stream()
        .filter(j -> "upstream".equals(j.get("job_name"))).findFirst().orElseThrow();
    assertThat(job).doesNotContainKey("static_configs");
    Map<String, Object> sd = map(Repo.list(job.get("dns_sd_configs")).get(0));
    assertThat(sd.get("names")).asList().containsExactly("upstream");
    assertThat(sd.get("type")).isEqualTo("A");
    assertThat(sd.get("port")).as("the management port: scrapes are not upstream connections").isEqualTo(9081);
  }
}
