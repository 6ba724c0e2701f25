package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's defence against the stale-connection race: the gateway retires an idle connection itself, after
 * --keep-alive-timeout, before the upstream's own idle timeout can close it under a request. Here the upstream
 * keeps idle connections for 30 s and says nothing about it; the gateway's timeout is 1 s.
 */
class KeepAliveTimeoutTest {

  @Test
  void theGatewayClosesIdleConnectionsAfterItsKeepAliveTimeoutBeforeTheUpstreamDoes() {
    try (Stack stack = Stack.start(u -> u.withIdleTimeout(Duration.ofSeconds(30), false),
        c -> c.withKeepAliveTimeout(Duration.ofSeconds(1)))) {
      long sent = System.nanoTime(); // no connection can have been used before this
      JsonObject answer = stack.fanout("?calls=10").json();
      assertThat(answer.getInteger("succeeded")).isEqualTo(10);
      long opened = stack.gatewayMetrics().count("gateway_upstream_connections_opened_total");
      assertThat(opened).isBetween(1L, 10L);

      // Well within the upstream's 30 s, and long before Vert.x's own default of 60 s.
      Stack.await("the gateway to close its idle connections", Duration.ofSeconds(10),
          () -> stack.upstreamMetrics().count("upstream_connections_active") == 0);
      long closedAfterMs = (System.nanoTime() - sent) / 1_000_000;

      Scrape gateway = stack.gatewayMetrics();
      assertThat(gateway.count("gateway_upstream_connections_closed_total", "closed_by=\"local\"")).isEqualTo(opened);
      assertThat(gateway.count("gateway_upstream_connections_closed_total", "closed_by=\"remote\"")).isZero();
      assertThat(gateway.count("gateway_upstream_connections_active")).isZero();
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(opened);
      // Not before the timeout: an idle connection is kept for the whole second after its last call.
      assertThat(closedAfterMs).as("ms from the fan-out's request to the last close").isGreaterThanOrEqualTo(1000);
    }
  }

  /**
   * An upstream that says "Keep-Alive: timeout=2" and closes idle connections after 2 s, under a gateway that would
   * keep them 60 s: the idle close is the gateway honouring the server's hint (Vert.x retires the connection at the
   * advertised timeout), so it counts as local. Without the hint parsed, the same close would count as remote.
   */
  @Test
  void anIdleCloseAtTheTimeoutTheUpstreamAdvertisedCountsAsLocal() {
    try (Stack stack = Stack.start(u -> u.withIdleTimeout(Duration.ofSeconds(2), true),
        c -> c.withKeepAliveTimeout(Duration.ofSeconds(60)))) {
      long sent = System.nanoTime();
      JsonObject answer = stack.fanout("?calls=10").json();
      assertThat(answer.getInteger("succeeded")).isEqualTo(10);
      long opened = stack.gatewayMetrics().count("gateway_upstream_connections_opened_total");
      assertThat(opened).isBetween(1L, 10L);

      Stack.await("the idle connections to close", Duration.ofSeconds(20),
          () -> stack.gatewayMetrics().countOrZero("gateway_upstream_connections_closed_total") == opened);
      long closedAfterMs = (System.nanoTime() - sent) / 1_000_000;

      Scrape gateway = stack.gatewayMetrics();
      assertThat(gateway.count("gateway_upstream_connections_closed_total", "closed_by=\"local\"")).isEqualTo(opened);
      assertThat(gateway.countOrZero("gateway_upstream_connections_closed_total", "closed_by=\"remote\"")).isZero();
      assertThat(closedAfterMs).as("ms from the fan-out's request to the last close").isGreaterThanOrEqualTo(2000);
    }
  }

  /**
   * An upstream that closes idle connections after 1 s without saying so, under a gateway that would keep them 60 s:
   * the close is the upstream's, and counts as remote, with the requests each connection carried.
   */
  @Test
  void anIdleCloseByTheUpstreamBeforeTheGatewaysTimeoutCountsAsRemote() {
    try (Stack stack = Stack.start(u -> u.withIdleTimeout(Duration.ofSeconds(1), false),
        c -> c.withKeepAliveTimeout(Duration.ofSeconds(60)))) {
      JsonObject answer = stack.fanout("?calls=10").json();
      assertThat(answer.getInteger("succeeded")).isEqualTo(10);
      long opened = stack.gatewayMetrics().count("gateway_upstream_connections_opened_total");
      assertThat(opened).isBetween(1L, 10L);

      Stack.await("the upstream to close the idle connections", Duration.ofSeconds(20),
          () -> stack.gatewayMetrics().countOrZero("gateway_upstream_connections_closed_total") == opened);

      Scrape gateway = stack.gatewayMetrics();
      assertThat(gateway.count("gateway_upstream_connections_closed_total", "closed_by=\"remote\"")).isEqualTo(opened);
      assertThat(gateway.count("gateway_upstream_connections_closed_total", "closed_by=\"local\"")).isZero();
      assertThat(gateway.count("gateway_upstream_connections_active")).isZero();
      assertThat(gateway.count("gateway_upstream_requests_per_connection_sum")).isEqualTo(10);
    }
  }
}
