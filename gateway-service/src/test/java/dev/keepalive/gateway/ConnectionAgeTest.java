package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --max-connection-age drains busy connections without failing a call: HTTP/1.1 after the call in flight,
 * HTTP/2 with GOAWAY. The pool then opens new ones (where a balancer in front would send them elsewhere).
 */
class ConnectionAgeTest {

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void connectionsOlderThanTheMaximumAgeAreDrainedAndReplacedWithoutAFailedCall(boolean http2) {
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("2ms")), c -> ReplicasTest.patient(c)
        .withClient(true, 2, http2, false, 10)
        .withReplicas(UpstreamReplicas.single(c.upstream()).withMaxConnectionAge(Duration.ofMillis(500))))) {
      List<Http.Answer> answers = new ArrayList<>();
      // Fan-outs back to back, so that connections are busy when their age comes (until 4 were drained).
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (answers.size() < 3 || stack.gatewayMetrics().countOrZero("gateway_upstream_connections_closed_total", "closed_by=\"max_age\"") < 4) {
        assertThat(System.nanoTime()).as("4 connections drained for their age within 60 s").isLessThan(deadline);
        answers.add(stack.fanout("?calls=50"));
      }
      for (Http.Answer a : answers) {
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().getInteger("failed")).as(a.body()).isZero();
      }
      Scrape gw = stack.gatewayMetrics();
      long calls = 50L * answers.size();
      assertThat(gw.count("gateway_upstream_requests_total", "outcome=\"success\"")).isEqualTo(calls);
      assertThat(gw.count("gateway_upstream_requests_total")).isEqualTo(calls);
      // Calls in flight moved on to new connections, counted by both sides (HTTP/2 needs one at a time).
      long opened = gw.count("gateway_upstream_connections_opened_total");
      assertThat(opened).isGreaterThanOrEqualTo(4);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(opened);
      assertThat(gw.count("gateway_upstream_connections_closed_total", "closed_by=\"remote\"")).isZero();
      // Drained, not closed: a close() would fail the calls in flight, and the retry of those on a reused connection
      // (stale_connection, or refused_stream over HTTP/2) would hide the failures from the answers above.
      assertThat(gw.countOrZero("gateway_upstream_retries_total")).as("calls sent again").isZero();
      System.out.printf("max age 500 ms, %s: %d fan-outs, %d calls, %d connections opened, %d drained for age, retries %d%n",
          http2 ? "HTTP/2" : "HTTP/1.1", answers.size(), calls, opened,
          gw.count("gateway_upstream_connections_closed_total", "closed_by=\"max_age\""),
          gw.count("gateway_upstream_retries_total"));
    }
  }
}
