package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The balancers that read each replica's calls in flight (least-requests, power-of-two-choices), end to end: they
 * steer calls away from a slow replica (round robin would give it exactly a third), and a refused connect fails over
 * to a live replica even though a dead one, whose connects fail at once, has the fewest calls in flight
 * (RefusedConnectEjection's CountingOutcomes).
 */
class ReplicaBalancersTest {
  private static final int FANOUTS = 24;
  private static final int CALLS = 30;

  @ParameterizedTest
  @EnumSource(value = LoadBalancing.class, names = {"LEAST_REQUESTS", "POWER_OF_TWO_CHOICES"})
  void fanOutsInParallelSpreadOverThreeReplicasAndASlowOneGetsLessThanAThird(LoadBalancing balancer) throws Exception {
    UpstreamConfig base = UpstreamConfig.defaults();
    try (Replicas replicas = Replicas.start(3, base)) {
      // Replica 1 takes 100 ms per call, the others none: its calls stay in flight while the others' finish.
      replicas.stop(1);
      replicas.restart(1, base.withDelay(Delay.parse("100ms")));
      GatewayServer gw = ReplicasTest.gateway(replicas, 10, balancer);
      ExecutorService users = Executors.newFixedThreadPool(4);
      try {
        // Four users, each fan-out after the last: the next fan-out's calls are placed while replica 1 is busy.
        List<CompletableFuture<List<Http.Answer>>> runs = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
          runs.add(CompletableFuture.supplyAsync(() -> {
            List<Http.Answer> answers = new ArrayList<>();
            for (int i = 0; i < FANOUTS / 4; i++) {
              answers.add(Http.get(gw.baseUrl() + "/fanout?calls=" + CALLS));
            }
            return answers;
          }, users));
        }
        for (CompletableFuture<List<Http.Answer>> run : runs) {
          assertThat(run.get()).allSatisfy(a -> {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().getInteger("succeeded")).as(a.body()).isEqualTo(CALLS);
          });
        }
        long total = FANOUTS * CALLS;
        long[] answered = {replicas.requests(0), replicas.requests(1), replicas.requests(2)};
        assertThat(answered[0] + answered[1] + answered[2]).isEqualTo(total);
        assertThat(answered).as("calls each replica answered (%s)", balancer).doesNotContain(0L);
        assertThat(answered[1]).as("the slow replica's calls of %d, %s (round robin: a third)", total, balancer)
            .isLessThan(total / 3);
        assertThat(answered[0] + answered[2]).isGreaterThan(2 * total / 3);
        Scrape m = Scrape.of(gw.metricsUrl());
        for (int i = 0; i < 3; i++) {
          assertThat(m.count("gateway_upstream_endpoint_requests_total", "endpoint=\"" + replicas.endpoint(i) + "\""))
              .isEqualTo(answered[i]);
        }
        System.out.printf("%s, replica 1 at 100 ms: calls %d / %d / %d%n", balancer, answered[0], answered[1], answered[2]);
      } finally {
        users.shutdownNow();
        gw.close().await();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = LoadBalancing.class, names = {"LEAST_REQUESTS", "POWER_OF_TWO_CHOICES"})
  void aReplicaDownHasItsCallsFailOverToTheOthersAndGetsTrafficWhenBack(LoadBalancing balancer) {
    UpstreamConfig base = UpstreamConfig.defaults();
    try (Replicas replicas = Replicas.start(3, base)) {
      GatewayServer gw = ReplicasTest.gateway(replicas, 5, balancer);
      try {
        assertThat(Http.get(gw.baseUrl() + "/fanout?calls=300").status()).isEqualTo(200);
        long before = replicas.requests(0) + replicas.requests(2);
        replicas.stop(1);

        Http.Answer down = Http.get(gw.baseUrl() + "/fanout?calls=300");
        assertThat(down.status()).as(down.body()).isEqualTo(200);
        JsonObject body = down.json();
        assertThat(body.getInteger("succeeded")).as(down.body()).isEqualTo(300);
        assertThat(body.getJsonObject("endpoints").fieldNames())
            .containsExactlyInAnyOrder(replicas.endpoint(0), replicas.endpoint(2));
        assertThat(replicas.requests(0) + replicas.requests(2) - before).as("calls the two live replicas answered")
            .isEqualTo(300);
        assertThat(Scrape.of(gw.metricsUrl()).count("gateway_upstream_retries_total", "reason=\"connect_refused\""))
            .as("calls sent again after a refused connect").isPositive();

        replicas.restart(1, base);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (replicas.requests(1) == 0) {
          assertThat(System.nanoTime()).as("the returned replica answered a call within 30 s").isLessThan(deadline);
          Http.Answer a = Http.get(gw.baseUrl() + "/fanout?calls=300");
          assertThat(a.json().getInteger("succeeded")).as(a.body()).isEqualTo(300);
        }
      } finally {
        gw.close().await();
      }
    }
  }
}
