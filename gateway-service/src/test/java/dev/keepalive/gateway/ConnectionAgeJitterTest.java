package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * --max-connection-age is jittered: connections opened by one burst are not all drained (and reopened) in the same
 * instant. Two replicas record their connections' lifetimes themselves; the gateway counts each drain by endpoint.
 */
class ConnectionAgeJitterTest {
  private static final Duration AGE = Duration.ofSeconds(1);

  /** One connection as a replica saw it: when it was accepted and closed, and the calls it carried. */
  private static final class Seen {
    final long openedNanos = System.nanoTime();
    volatile long closedNanos;
    volatile int calls;
  }

  @Test
  void connectionsOpenedByOneBurstAreDrainedNoEarlierThanNinetyPercentOfTheAgeAndNotAllAtOnce() {
    Vertx vertx = Vertx.vertx();
    Map<HttpConnection, Seen> seen = new ConcurrentHashMap<>();
    List<HttpServer> servers = new ArrayList<>();
    GatewayServer gw = null;
    try {
      for (int i = 0; i < 2; i++) {
        servers.add(vertx.createHttpServer()
            .connectionHandler(c -> {
              Seen s = new Seen();
              seen.put(c, s);
              c.closeHandler(v -> s.closedNanos = System.nanoTime());
            })
            // 100 ms per call: the 10 calls of one fan-out are in flight together, one connection each.
            .requestHandler(req -> {
              Seen s = seen.get(req.connection());
              s.calls++;
              vertx.setTimer(100, t -> req.response().end("ok"));
            })
            .listen(0, "127.0.0.1").await());
      }
      List<String> endpoints = servers.stream().map(s -> "127.0.0.1:" + s.actualPort()).toList();
      gw = GatewayServer.start(ReplicasTest.patient(GatewayConfig.defaults("http://" + endpoints.get(0)))
          .with(b -> b.poolSize = 5)
          .withReplicas(new UpstreamReplicas(UpstreamEndpoints.of(endpoints.stream().map(e -> "http://" + e)
              .toArray(String[]::new)), LoadBalancing.ROUND_ROBIN, AGE))).await();

      long burstNanos = System.nanoTime(); // before any of the burst's connections opened
      Http.Answer burst = Http.get(gw.baseUrl() + "/fanout?calls=10");
      assertThat(burst.status()).as(burst.body()).isEqualTo(200);
      assertThat(burst.json().getInteger("newConnections")).as(burst.body()).isEqualTo(10);
      JsonObject perEndpoint = burst.json().getJsonObject("endpoints");
      for (String e : endpoints) {
        assertThat(perEndpoint.getJsonObject(e).getInteger("calls")).as(burst.body()).isEqualTo(5);
        assertThat(perEndpoint.getJsonObject(e).getInteger("newConnections")).as(burst.body()).isEqualTo(5);
      }

      // Idle from now on: each connection is drained by its own timer only.
      Stack.await("the 10 connections drained", Duration.ofSeconds(15),
          () -> seen.size() == 10 && seen.values().stream().allMatch(s -> s.closedNanos != 0));
      assertThat(seen.values()).allSatisfy(s -> assertThat(s.calls).isEqualTo(1));
      // Lower bounds only. None closed before 90 % of the age (-10 % jitter), counted from before the burst: the replica
      // accepts a connection a little after the gateway's connect handler starts its age, so its own view is shorter.
      List<Long> closedAtMillis = seen.values().stream().map(s -> (s.closedNanos - burstNanos) / 1_000_000).sorted()
          .toList();
      assertThat(closedAtMillis.get(0)).as("first close of %s ms after the burst", closedAtMillis)
          .isGreaterThanOrEqualTo(AGE.toMillis() * 9 / 10);
      // Spread: each connection's life as its replica saw it. Without jitter the 10 differ by a few ms (measured: 15);
      // drawn uniformly within ±10 %, 10 of them spread over ~160 ms.
      List<Long> livedMillis = seen.values().stream().map(s -> (s.closedNanos - s.openedNanos) / 1_000_000).sorted()
          .toList();
      assertThat(livedMillis.get(9) - livedMillis.get(0)).as("spread of the lifetimes %s ms", livedMillis)
          .isGreaterThanOrEqualTo(50);

      Scrape m = Scrape.of(gw.metricsUrl());
      for (String e : endpoints) {
        String endpoint = "endpoint=\"" + e + "\"";
        assertThat(m.count("gateway_upstream_connections_closed_total", endpoint, "closed_by=\"max_age\"")).isEqualTo(5);
        assertThat(m.count("gateway_upstream_connections_closed_total", endpoint)).isEqualTo(5);
        assertThat(m.count("gateway_upstream_requests_per_connection_count", endpoint)).isEqualTo(5);
        assertThat(m.count("gateway_upstream_requests_per_connection_sum", endpoint)).isEqualTo(5);
      }
      System.out.println("max age 1 s, one burst's connections: closed at " + closedAtMillis + " ms after it, lived "
          + livedMillis + " ms");
    } finally {
      if (gw != null) {
        gw.close().await();
      }
      vertx.close().await();
    }
  }
}
