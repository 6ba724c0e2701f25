package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.link.RoundRobinTargets;
import dev.keepalive.upstream.UpstreamConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keep-alive's scale-out trap, behind an L4 balancer (the latency link with round-robin targets, as kube-proxy):
 * a replica added while the pool is warm gets no connection, until --max-connection-age drains the old ones.
 */
class ScaleOutBehindLinkTest {
  private static final Duration AGE = Duration.ofSeconds(10);

  @Test
  void aReplicaAddedWhileThePoolIsWarmGetsNoConnectionUntilTheMaximumAgePassesThenDoesWithoutAFailedCall() {
    Vertx linkVertx = Vertx.vertx();
    try (Replicas replicas = Replicas.start(3, UpstreamConfig.defaults())) {
      RoundRobinTargets targets = new RoundRobinTargets(List.of(target(replicas, 0), target(replicas, 1)));
      LatencyLink link = LatencyLink.start(linkVertx,
          new LinkConfig(new HostPort("127.0.0.1", 0), targets, Duration.ZERO, Duration.ZERO, 1)).await();
      // One upstream URL (the balancer's address), a pool of 4 kept warm: the client cannot see the replicas.
      GatewayServer gw = GatewayServer.start(ReplicasTest.patient(GatewayConfig.defaults("http://" + link.address()))
          .with(b -> b.poolSize = 4)
          .withReplicas(UpstreamReplicas.single(UpstreamAddress.parse("http://" + link.address()))
              .withMaxConnectionAge(AGE))).await();
      try {
        long warmAt = System.nanoTime();
        assertThat(Http.get(gw.baseUrl() + "/fanout").json().getInteger("newConnections")).isEqualTo(4);
        assertThat(replicas.accepted(0)).isEqualTo(2);
        assertThat(replicas.accepted(1)).isEqualTo(2);

        targets.add(target(replicas, 2));
        List<Http.Answer> answers = new ArrayList<>();
        // Well inside the age (at least 90 % of it, with jitter): the warm pool keeps every call on the old two.
        while (answers.size() < 3 || System.nanoTime() - warmAt < AGE.toNanos() / 4) {
          answers.add(Http.get(gw.baseUrl() + "/fanout"));
        }
        assertThat(Scrape.of(gw.metricsUrl()).countOrZero("gateway_upstream_connections_closed_total",
            "closed_by=\"max_age\"")).as("connections drained so far").isZero();
        assertThat(replicas.accepted(2)).as("connections the added replica got before the age").isZero();
        assertThat(replicas.requests(2)).isZero();

        // Past the age, drained connections reopen through the balancer: some land on the new replica.
        long deadline = System.nanoTime() + AGE.multipliedBy(5).toNanos();
        while (replicas.requests(2) == 0) {
          assertThat(System.nanoTime()).as("the added replica answered a call").isLessThan(deadline);
          answers.add(Http.get(gw.baseUrl() + "/fanout"));
        }
        assertThat(System.nanoTime() - warmAt).as("not before the age").isGreaterThanOrEqualTo(AGE.toNanos() * 9 / 10);
        assertThat(answers).allSatisfy(a -> {
          assertThat(a.status()).as(a.body()).isEqualTo(200);
          assertThat(a.json().getInteger("failed")).isZero();
        });
        Scrape m = Scrape.of(gw.metricsUrl());
        assertThat(m.count("gateway_upstream_connections_closed_total", "closed_by=\"max_age\"")).isPositive();
        assertThat(m.count("gateway_upstream_requests_total", "outcome=\"success\""))
            .isEqualTo(m.count("gateway_upstream_requests_total"));
        // The drain let each call in flight finish: none failed and was sent again (retry hides a failure from answers).
        assertThat(m.countOrZero("gateway_upstream_retries_total")).as("calls sent again").isZero();
      } finally {
        gw.close().await();
        link.close().await();
      }
    } finally {
      linkVertx.close().await();
    }
  }

  private static HostPort target(Replicas replicas, int i) {
    return new HostPort("127.0.0.1", replicas.servers.get(i).port());
  }
}
