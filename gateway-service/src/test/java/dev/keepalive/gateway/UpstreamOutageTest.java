package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The upstream goes away and comes back: the gateway answers throughout and recovers by itself. */
class UpstreamOutageTest {

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static UpstreamServer upstreamOn(int port, UpstreamConfig base) {
    return UpstreamServer.start(base.withPort(port).withMetricsPort(0)).await();
  }

  @Test
  void upstreamDownFailsFastWithA502SayingSoAndTheGatewayRecoversWhenItReturns() {
    int port = freePort();
    GatewayServer gateway = GatewayServer.start(
        GatewayConfig.defaults("http://127.0.0.1:" + port).withMetricsPort(0)).await();
    UpstreamServer upstream = null;
    try {
      Http.Answer down = Http.get(gateway.baseUrl() + "/fanout");
      assertThat(down.status()).isEqualTo(502);
      JsonObject body = down.json();
      assertThat(body.getString("error")).isEqualTo("upstream unreachable at http://127.0.0.1:" + port + ": connect_refused");
      assertThat(body.getJsonObject("errors").getJsonObject("connect_refused").getInteger("count")).isEqualTo(100);
      assertThat(body.getInteger("failed")).isEqualTo(100);
      assertThat(body.getInteger("status")).isEqualTo(502);
      // A gateway that can only answer 502 is not healthy: /health says DOWN with 503, so compose's healthcheck shows it.
      Http.Answer healthAnswer = Http.get(gateway.baseUrl() + "/health");
      assertThat(healthAnswer.status()).isEqualTo(503);
      JsonObject health = healthAnswer.json();
      assertThat(health.getString("status")).isEqualTo("DOWN");
      assertThat(health.getJsonObject("upstream").getString("state")).isEqualTo("DOWN");
      assertThat(health.getJsonObject("upstream").getString("error")).startsWith("connect_refused");

      upstream = upstreamOn(port, UpstreamConfig.defaults());
      Http.Answer back = Http.get(gateway.baseUrl() + "/fanout");
      assertThat(back.status()).as(back.body()).isEqualTo(200);
      assertThat(back.json().getInteger("succeeded")).isEqualTo(100);
      Http.Answer healthy = Http.get(gateway.baseUrl() + "/health");
      assertThat(healthy.status()).isEqualTo(200);
      assertThat(healthy.json().getString("status")).isEqualTo("UP");
      assertThat(healthy.json().getJsonObject("upstream").getString("state")).isEqualTo("UP");

      // Down again while the gateway's connections sit idle in its pool (the upstream advertised keep-alive): the
      // closes are the upstream's, closed_by="remote", every one of them.
      long opened = Scrape.of(gateway.metricsUrl()).count("gateway_upstream_connections_opened_total");
      assertThat(opened).isBetween(1L, 10L);
      upstream.close().await();
      upstream = null;
      Stack.await("the upstream's closes to reach the gateway", Duration.ofSeconds(10),
          () -> Scrape.of(gateway.metricsUrl()).countOrZero("gateway_upstream_connections_closed_total") == opened);
      Scrape closed = Scrape.of(gateway.metricsUrl());
      assertThat(closed.count("gateway_upstream_connections_closed_total", "closed_by=\"remote\"")).isEqualTo(opened);
      assertThat(closed.count("gateway_upstream_connections_active")).isZero();
    } finally {
      gateway.close().await();
      if (upstream != null) upstream.close().await();
    }
  }

  @Test
  void upstreamKilledDuringLoadEveryRequestIsAnsweredAndThePoolRecoversWithoutLeaks() throws Exception {
    int port = freePort();
    UpstreamConfig upstreamConfig = UpstreamConfig.defaults().withDelay(Delay.parse("5ms"));
    UpstreamServer[] upstream = {upstreamOn(port, upstreamConfig)};
    GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults("http://127.0.0.1:" + port).withMetricsPort(0)
        .with(b -> b.instances = 2)).await();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<Throwable> unanswered = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService users = Executors.newFixedThreadPool(4);
    try {
      for (int u = 0; u < 4; u++) {
        users.submit(() -> {
          for (int i = 0; i < 2_000 && !stop.get(); i++) {
            try {
              int status = Http.get(gateway.baseUrl() + "/fanout?calls=20").status();
              statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            } catch (Throwable t) {
              unanswered.add(t);
            }
          }
        });
      }
      Stack.await("load to flow", Duration.ofSeconds(30), () -> count(statuses, 200) >= 20);
      upstream[0].close().await(); // killed: its connections drop, calls in flight fail
      int okBeforeRestart = count(statuses, 200);
      Stack.await("failures to be answered", Duration.ofSeconds(30), () -> count(statuses, 502) + count(statuses, 504) >= 10);
      upstream[0] = upstreamOn(port, upstreamConfig);
      Stack.await("recovery", Duration.ofSeconds(30), () -> count(statuses, 200) >= okBeforeRestart + 20);
    } finally {
      stop.set(true);
      users.shutdown();
      assertThat(users.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
    try {
      assertThat(unanswered).as("requests that got no answer").isEmpty();
      assertThat(statuses.keySet()).isSubsetOf(200, 502, 504);
      // No leaked connections: what the gateway believes open is what the upstream, counting on its own, sees open,
      // and no more than the pool may hold.
      Stack.await("the pool to settle", Duration.ofSeconds(10), () -> {
        long active = Scrape.of(gateway.metricsUrl()).count("gateway_upstream_connections_active");
        return active <= 10 && active == Scrape.of(upstream[0].metricsUrl()).count("upstream_connections_active");
      });

      System.out.printf("upstream killed and restarted under load: answers %s, 0 unanswered%n", statuses);
    } finally {
      gateway.close().await();
      upstream[0].close().await();
    }
  }

  static int count(Map<Integer, AtomicInteger> statuses, int status) {
    AtomicInteger n = statuses.get(status);
    return n == null ? 0 : n.get();
  }
}
