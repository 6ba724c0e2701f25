package dev.keepalive.gateway;

import static dev.keepalive.gateway.GatewayCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.GatewayCli.Run;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --upstream with several replicas, --load-balancer and --max-connection-age: what they accept and refuse. */
class ReplicaFlagsTest {

  @Test
  void severalUrlsBalanceRoundRobinByDefaultAndOneUrlDoesNot() {
    GatewayConfig one = run(Map.of()).config();
    assertThat(one.replicas().loadBalancer()).isEqualTo(LoadBalancing.NONE);
    assertThat(one.replicas().maxConnectionAge()).isZero();

    GatewayConfig three = run(Map.of(), "--upstream", "http://a:8081, http://b:8081,http://c:8081",
        "--max-connection-age", "30s").config();
    assertThat(three.replicas().endpoints().addresses()).extracting(UpstreamAddress::toString)
        .containsExactly("http://a:8081", "http://b:8081", "http://c:8081");
    assertThat(three.upstream().toString()).isEqualTo("http://a:8081");
    assertThat(three.replicas().loadBalancer()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(three.replicas().maxConnectionAge()).isEqualTo(Duration.ofSeconds(30));

    GatewayConfig fromEnv = run(Map.of("GATEWAY_UPSTREAM", "http://a:8081,http://b:8081,http://c:8081",
        "GATEWAY_MAX_CONNECTION_AGE", "30s")).config();
    assertThat(fromEnv).isEqualTo(three);

    // One name whose DNS answers several addresses: a balancer makes the client use all of them.
    GatewayConfig byName = run(Map.of(), "--upstream", "http://upstream:8081", "--load-balancer", "least-requests").config();
    assertThat(byName.replicas().loadBalancer()).isEqualTo(LoadBalancing.LEAST_REQUESTS);
    assertThat(run(Map.of(), "--load-balancer", "power-of-two-choices").config().replicas().loadBalancer())
        .isEqualTo(LoadBalancing.POWER_OF_TWO_CHOICES);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--upstream= |--upstream|names no upstream",
      "--upstream=,,|--upstream|names no upstream",
      "--upstream http://a:1,https://b:2|--upstream|mixes http and https",
      "--upstream http://a:1/x,http://b:2/y|--upstream|same base path",
      "--load-balancer random|--load-balancer|'random' is not a load balancer",
      "--upstream http://a:1,http://b:2 --load-balancer none|--load-balancer none|round-robin",
      "--max-connection-age=-5s|--max-connection-age|-5s",
      "--max-connection-age soon|--max-connection-age|soon"})
  void aBadReplicaFlagStopsStartUpNamingTheFlag(String args, String flag, String message) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.config()).isNull();
    assertThat(r.err()).contains(flag).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void helpSaysThePoolSizeIsPerEndpoint() {
    Run r = run(Map.of(), "--help");
    assertThat(r.out()).contains("--load-balancer").contains("--max-connection-age")
        .containsPattern("--pool-size=<poolSize>\\s+Most connections open to each upstream\\s+endpoint");
  }
}
