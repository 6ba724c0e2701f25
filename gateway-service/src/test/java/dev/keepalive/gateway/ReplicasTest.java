package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.link.RoundRobinTargets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several upstream replicas behind one gateway: a pool per endpoint, calls spread by a client-side load
 * balancer, counted by the gateway and by each replica independently.
 */
class ReplicasTest {

  static GatewayServer gateway(Replicas replicas, int poolSize, LoadBalancing balancer) {
    GatewayConfig config = patient(GatewayConfig.defaults("http://127.0.0.1:1"))
        .withReplicas(new UpstreamReplicas(UpstreamEndpoints.of(replicas.urls()), balancer, Duration.ZERO))
        .with(b -> b.poolSize = poolSize);
    return GatewayServer.start(config).await();
  }

  /** Deadlines far above what a call takes here, so a busy machine slows the test but never fails it. */
  static GatewayConfig patient(GatewayConfig c) {
    return c.withMetricsPort(0).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
        .with(b -> b.fanoutTimeout = Duration.ofSeconds(60));
  }

  @Test
  void aPoolOfTwoPerEndpointOverThreeReplicasOpensExactlySixConnectionsTwoToEach() {
    try (Replicas replicas = Replicas.start(3, UpstreamConfig.defaults())) {
      GatewayServer gw = gateway(replicas, 2, LoadBalancing.ROUND_ROBIN);
      try {
        long newConnections = 0;
        for (int i = 0; i < 10; i++) {
          Http.Answer a = Http.get(gw.baseUrl() + "/fanout");
          assertThat(a.status()).as(a.body()).isEqualTo(200);
          newConnections += a.json().getInteger("newConnections");
          JsonObject endpoints = a.json().getJsonObject("endpoints");
          assertThat(endpoints.fieldNames()).as(a.body())
              .containsExactlyInAnyOrder(replicas.endpoint(0), replicas.endpoint(1), replicas.endpoint(2));
          // The first answer opened each replica's pool of 2; the later ones reuse them.
          for (int r = 0; r < 3; r++) {
            assertThat(endpoints.getJsonObject(replicas.endpoint(r)).getInteger("newConnections"))
                .as("fan-out %d, replica %d: %s", i, r, a.body()).isEqualTo(i == 0 ? 2 : 0);
          }
        }
        assertThat(newConnections).isEqualTo(6);
        Scrape m = Scrape.of(gw.metricsUrl());
        assertThat(m.count("gateway_upstream_connections_opened_total")).isEqualTo(6);
        for (int i = 0; i < 3; i++) {
          String endpoint = "endpoint=\"" + replicas.endpoint(i) + "\"";
          assertThat(replicas.accepted(i)).as("connections replica %d accepted", i).isEqualTo(2);
          assertThat(m.count("gateway_upstream_connections_opened_total", endpoint)).isEqualTo(2);
          assertThat(m.count("gateway_upstream_connections_active", endpoint)).isEqualTo(2);
          // Requests per endpoint, as the gateway sent them and as each replica answered them.
          assertThat(m.count("gateway_upstream_endpoint_requests_total", endpoint)).isEqualTo(replicas.requests(i));
        }
        assertThat(replicas.requests(0) + replicas.requests(1) + replicas.requests(2)).isEqualTo(1000);
        assertThat(m.count("gateway_upstream_endpoint_requests_total")).isEqualTo(1000);
      } finally {
        gw.close().await();
      }
    }
  }

  @Test
  void roundRobinSpreads300CallsAs100To100To100() {
    try (Replicas replicas = Replicas.start(3, UpstreamConfig.defaults())) {
      GatewayServer gw = gateway(replicas, 10, LoadBalancing.ROUND_ROBIN);
      try {
        Http.Answer a = Http.get(gw.baseUrl() + "/fanout?calls=300");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonObject endpoints = a.json().getJsonObject("endpoints");
        for (int i = 0; i < 3; i++) {
          assertThat(replicas.requests(i)).as("calls replica %d answered", i).isEqualTo(100);
          assertThat(endpoints.getJsonObject(replicas.endpoint(i)).getInteger("calls")).isEqualTo(100);
        }
        assertThat(a.json().getJsonObject("client").getJsonObject("replicas").getString("loadBalancer"))
            .isEqualTo("round-robin");
      } finally {
        gw.close().await();
      }
    }
  }

  @Test
  void aReplicaDownHasItsCallsFailOverToTheOthersNothingHangsAndItGetsTrafficWhenBack() {
    UpstreamConfig base = UpstreamConfig.defaults();
    try (Replicas replicas = Replicas.start(3, base)) {
      GatewayServer gw = gateway(replicas, 5, LoadBalancing.ROUND_ROBIN);
      try {
        assertThat(Http.get(gw.baseUrl() + "/fanout?calls=300").status()).isEqualTo(200);
        long before = replicas.requests(0) + replicas.requests(2);
        replicas.stop(1);

        Http.Answer down = Http.get(gw.baseUrl() + "/fanout?calls=300");
        assertThat(down.status()).as(down.body()).isEqualTo(200);
        JsonObject body = down.json();
        // Round robin still sends its share to the dead replica: each refused connect is sent once more, and the
        // balancer, skipping the replica that refused, gives it to a live one.
        assertThat(body.getInteger("succeeded")).isEqualTo(300);
        assertThat(body.getJsonObject("endpoints").fieldNames())
            .containsExactlyInAnyOrder(replicas.endpoint(0), replicas.endpoint(2));
        assertThat(replicas.requests(0) + replicas.requests(2) - before).as("calls the two live replicas answered")
            .isEqualTo(300);
        long failedOver = Scrape.of(gw.metricsUrl()).count("gateway_upstream_retries_total", "reason=\"connect_refused\"");
        assertThat(failedOver).as("calls sent again after a refused connect").isBetween(1L, 100L);

        replicas.restart(1, base);
        // Fan-outs back to back: the replica is tried again once its skip (RefusedConnectEjection) has passed.
        List<Http.Answer> answers = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (replicas.requests(1) == 0) {
          assertThat(System.nanoTime()).as("the returned replica answered a call within 30 s").isLessThan(deadline);
          answers.add(Http.get(gw.baseUrl() + "/fanout?calls=300"));
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.json().getInteger("succeeded")).as(a.body()).isEqualTo(300));
        Http.Answer back = Http.get(gw.baseUrl() + "/fanout?calls=300");
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.json().getJsonObject("endpoints").getJsonObject(replicas.endpoint(1)).getInteger("calls"))
            .isEqualTo(100);
      } finally {
        gw.close().await();
      }
    }
  }

  @Test
  void everyReplicaDownFailsTheCallsAsConnectRefusedNamingTheReplicasAndNothingHangs() {
    try (Replicas replicas = Replicas.start(3, UpstreamConfig.defaults())) {
      GatewayServer gw = gateway(replicas, 5, LoadBalancing.ROUND_ROBIN);
      try {
        assertThat(Http.get(gw.baseUrl() + "/fanout?calls=30").status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
          replicas.stop(i);
        }
        Http.Answer down = Http.get(gw.baseUrl() + "/fanout?calls=30");
        assertThat(down.status()).as(down.body()).isEqualTo(502);
        JsonObject body = down.json();
        assertThat(body.getInteger("failed")).isEqualTo(30);
        assertThat(body.getJsonObject("errors").fieldNames()).containsExactly("connect_refused");
        assertThat(body.getString("error")).contains("upstream unreachable").contains(replicas.urls()[1]);
        if (gw.transport() == dev.keepalive.common.TransportChoice.NIO) {
          assertThat(body.getJsonObject("errors").getJsonObject("connect_refused").getString("example"))
              .contains("Connection refused");
        }
      } finally {
        gw.close().await();
      }
    }
  }

  @Test
  void healthProbesEveryReplicaAndStaysUpWhileOneIsUp() {
    try (Replicas replicas = Replicas.start(3, UpstreamConfig.defaults())) {
      GatewayServer gw = gateway(replicas, 2, LoadBalancing.ROUND_ROBIN);
      try {
        replicas.stop(1);
        Http.Answer oneDown = Http.get(gw.baseUrl() + "/health");
        assertThat(oneDown.status()).as(oneDown.body()).isEqualTo(200);
        assertThat(oneDown.json().getString("status")).isEqualTo("UP");
        JsonObject endpoints = oneDown.json().getJsonObject("upstream").getJsonObject("endpoints");
        assertThat(endpoints.fieldNames()).as(oneDown.body())
            .containsExactly(replicas.endpoint(0), replicas.endpoint(1), replicas.endpoint(2));
        assertThat(endpoints.getJsonObject(replicas.endpoint(0)).getString("state")).isEqualTo("UP");
        assertThat(endpoints.getJsonObject(replicas.endpoint(1)).getString("state")).isEqualTo("DOWN");
        assertThat(endpoints.getJsonObject(replicas.endpoint(1)).getString("error")).startsWith("connect_refused");
        assertThat(endpoints.getJsonObject(replicas.endpoint(2)).getString("state")).isEqualTo("UP");

        replicas.stop(0);
        replicas.stop(2);
        Http.Answer allDown = Http.get(gw.baseUrl() + "/health");
        assertThat(allDown.status()).as(allDown.body()).isEqualTo(503);
        assertThat(allDown.json().getString("status")).isEqualTo("DOWN");
        assertThat(allDown.json().getJsonObject("upstream").getJsonObject("endpoints").stream()
            .map(e -> ((JsonObject) e.getValue()).getString("state"))).containsOnly("DOWN");
        // The upstream's own entry says why: the first replica's reason.
        assertThat(allDown.json().getJsonObject("upstream").getString("state")).isEqualTo("DOWN");
        assertThat(allDown.json().getJsonObject("upstream").getString("error")).as(allDown.body())
            .startsWith("connect_refused: ");

        // One replica back: UP again at once, from the probe alone (no call has told the gateway).
        replicas.restart(1, UpstreamConfig.defaults());
        Http.Answer oneBack = Http.get(gw.baseUrl() + "/health");
        assertThat(oneBack.status()).as(oneBack.body()).isEqualTo(200);
        assertThat(oneBack.json().getString("status")).isEqualTo("UP");
        assertThat(oneBack.json().getJsonObject("upstream").containsKey("error")).as(oneBack.body()).isFalse();
      } finally {
        gw.close().await();
      }
    }
  }

  @Test
  void oneNameWithThreeARecordsReachesEveryReplica() {
    List<String> hosts = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    try (Replicas replicas = Replicas.onAddresses(hosts, UpstreamConfig.defaults());
        LocalDns dns = LocalDns.serve("replicas.keepalive.test", hosts)) {
      // The DNS server as --dns-servers gives it (the name is in no hosts file, so only that server can answer).
      GatewayServer gw = GatewayServer.start(byName(replicas).with(b -> b.discovery =
          new UpstreamDiscovery(Duration.ofSeconds(5), List.of("127.0.0.1:" + dns.port), null))).await();
      try {
        Http.Answer a = Http.get(gw.baseUrl() + "/fanout?calls=300");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
          assertThat(replicas.requests(i)).as("calls replica %s answered", hosts.get(i)).isEqualTo(100);
          assertThat(a.json().getJsonObject("endpoints").getJsonObject(replicas.endpoint(i)).getInteger("calls"))
              .isEqualTo(100);
        }
      } finally {
        gw.close().await();
      }
    }
  }

  @Test
  void theFirstFanOutReachesEveryReplicaEvenWhenTheDnsAnswerTakesARoundTrip() {
    List<String> hosts = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    Vertx linkVertx = Vertx.vertx();
    try (Replicas replicas = Replicas.onAddresses(hosts, UpstreamConfig.defaults());
        LocalDns dns = LocalDns.serve("replicas.keepalive.test", hosts)) {
      // DNS over a link with a 1.5 s round trip: the gateway must not listen before its first answer, or the first
      // fan-out goes to the one address the client resolves alone.
      LatencyLink slowDns = LatencyLink.start(linkVertx, new LinkConfig(new HostPort("127.0.0.1", 0),
          new RoundRobinTargets(List.of(new HostPort("127.0.0.1", dns.port))), Duration.ofMillis(1500), Duration.ZERO, 1))
          .await();
      GatewayServer gw = GatewayServer.start(byName(replicas), localDns(slowDns.port())).await();
      try {
        Http.Answer first = Http.get(gw.baseUrl() + "/fanout?calls=30");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().getJsonObject("endpoints").fieldNames()).as(first.body())
            .containsExactlyInAnyOrder(replicas.endpoint(0), replicas.endpoint(1), replicas.endpoint(2));
        assertThat(slowDns.datagramsForwarded()).as("DNS datagrams through the link").isPositive();
      } finally {
        gw.close().await();
      }
    } finally {
      linkVertx.close().await();
    }
  }

  @Test
  void aReplicaAddedBehindTheNameGetsCallsWhileTrafficFlows() {
    List<String> hosts = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
    try (Replicas replicas = Replicas.onAddresses(hosts, UpstreamConfig.defaults());
        LocalDns dns = LocalDns.serve("replicas.keepalive.test", hosts.subList(0, 3))) {
      GatewayServer gw = GatewayServer.start(byName(replicas), localDns(dns)).await();
      try {
        Http.Answer first = Http.get(gw.baseUrl() + "/fanout?calls=30");
        assertThat(first.json().getJsonObject("endpoints").fieldNames()).hasSize(3);
        dns.add("127.0.0.5");
        // Fan-outs back to back: the client is never idle, so only watching the name finds the new replica.
        List<Http.Answer> answers = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (replicas.requests(3) == 0) {
          assertThat(System.nanoTime()).as("the added replica answered a call within 30 s").isLessThan(deadline);
          answers.add(Http.get(gw.baseUrl() + "/fanout?calls=30"));
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
        Http.Answer after = Http.get(gw.baseUrl() + "/fanout?calls=40");
        assertThat(after.json().getJsonObject("endpoints").getJsonObject(replicas.endpoint(3)).getInteger("calls"))
            .isEqualTo(10);
      } finally {
        gw.close().await();
      }
    }
  }

  private static GatewayConfig byName(Replicas replicas) {
    String url = "http://replicas.keepalive.test:" + replicas.servers.get(0).port();
    return patient(GatewayConfig.defaults(url))
        .withReplicas(new UpstreamReplicas(UpstreamEndpoints.of(url), LoadBalancing.ROUND_ROBIN, Duration.ZERO));
  }

  /** The gateway resolves with the local DNS server only (not /etc/hosts, not the machine's resolvers). */
  private static VertxOptions localDns(LocalDns dns) {
    return localDns(dns.port);
  }

  private static VertxOptions localDns(int port) {
    return new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
        .setServers(List.of("127.0.0.1:" + port)).setHostsValue(io.vertx.core.buffer.Buffer.buffer("\n"))
        .setSearchDomains(List.of()).setQueryTimeout(2000));
  }
}
