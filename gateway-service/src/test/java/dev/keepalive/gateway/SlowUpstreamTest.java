package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A slow upstream never makes the gateway hang: per-call timeouts and a deadline for the fan-out give a 504. */
class SlowUpstreamTest {

  @Test
  void callsThatTimeOutGiveA504SayingHowMany() {
    // AIMD admission (halves on a drop): what a timed-out fan-out teaches the admission shows in one fan-out.
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("2s")),
        c -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)).with(b -> b.admission =
            new AdmissionSettings(AdmissionSettings.Mode.ADAPTIVE, AdmissionSettings.Algorithm.AIMD, 4)))) {
      long sent = System.nanoTime();
      Http.Answer answer = stack.fanout("?calls=10");
      double seenMs = (System.nanoTime() - sent) / 1e6;
      assertThat(answer.status()).isEqualTo(504);
      JsonObject body = answer.json();
      assertThat(body.getInteger("status")).isEqualTo(504);
      assertThat(body.getInteger("timedOut")).isEqualTo(10);
      assertThat(body.getInteger("failed")).isEqualTo(10);
      assertThat(body.getJsonObject("errors").getJsonObject("timeout").getInteger("count")).isEqualTo(10);
      assertThat(body.getString("error")).isEqualTo("10 of 10 calls timed out (--request-timeout 200ms)");
      // Never before the request timeout (a lower bound only: a busy machine may take longer).
      assertThat(body.getDouble("durationMs")).isGreaterThanOrEqualTo(200.0)
          .as("measured inside the round trip the client saw").isLessThanOrEqualTo(seenMs);
      assertThat(stack.gatewayMetrics().count("gateway_fanout_requests_total", "outcome=\"timeout\"")).isEqualTo(1);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"timeout\"")).isEqualTo(10);
      // A fan-out that timed out is a drop for the adaptive admission: its limit is halved, from 4 to 2.
      assertThat(stack.gatewayMetrics().count("gateway_admission_limit")).isEqualTo(2);
      assertThat(stack.gatewayMetrics().count("gateway_admission_in_flight")).isZero();
    }
  }

  @Test
  void theFanOutDeadlineAnswersWithWhatCompleted() {
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("2s")),
        c -> c.with(b -> b.fanoutTimeout = Duration.ofMillis(300)))) {
      long sent = System.nanoTime();
      Http.Answer answer = stack.fanout("?calls=10");
      double seenMs = (System.nanoTime() - sent) / 1e6;
      assertThat(answer.status()).isEqualTo(504);
      JsonObject body = answer.json();
      assertThat(body.getInteger("status")).isEqualTo(504);
      assertThat(body.getInteger("timedOut")).isEqualTo(10);
      assertThat(body.getJsonObject("errors").getJsonObject("deadline_exceeded").getInteger("count")).isEqualTo(10);
      assertThat(body.getString("error")).contains("fan-out deadline 300ms passed, 10 still unanswered");
      // Answered at the deadline, not when the calls finished: the upstream had answered none of them yet.
      assertThat(stack.upstreamMetrics().count("upstream_requests_total")).isZero();
      assertThat(body.getDouble("durationMs")).isGreaterThanOrEqualTo(300.0)
          .as("measured inside the round trip the client saw").isLessThanOrEqualTo(seenMs);
    }
  }

  /**
   * One connection, five calls, an upstream that takes a second: the deadline answers after 300 ms with one call
   * in flight and four queued for the connection. Those four are not sent when the connection frees up, since
   * nobody waits for them any more; the connection stays open and serves the next fan-out. (HTTP/1.1 without
   * pipelining; HTTP/2 and pipelining below.)
   */
  @Test
  void callsQueuedWhenTheDeadlineAnswersAreNotSentLater() {
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("1s")),
        c -> c.withClient(true, 1, false, false, 1).with(b -> b.fanoutTimeout = Duration.ofMillis(300)))) {
      Http.Answer answer = stack.fanout("?calls=5");
      assertThat(answer.status()).as(answer.body()).isEqualTo(504);
      assertThat(answer.json().getJsonObject("errors").getJsonObject("deadline_exceeded").getInteger("count"))
          .isEqualTo(5);
      Stack.await("the four queued calls to be dropped", Duration.ofSeconds(10),
          () -> stack.gatewayMetrics().countOrZero("gateway_upstream_requests_total", "outcome=\"abandoned\"") == 4);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"success\"")).isEqualTo(1);
      assertThat(stack.upstreamMetrics().count("upstream_requests_total")).as("requests the upstream answered")
          .isEqualTo(1);

      Http.Answer next = stack.fanout("?calls=1");
      assertThat(next.status()).as(next.body()).isEqualTo(504); // the deadline is still 300 ms
      Stack.await("the next fan-out's call to be answered", Duration.ofSeconds(10),
          () -> stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"success\"") == 2);
      assertThat(stack.upstreamMetrics().count("upstream_requests_total")).isEqualTo(2);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_connections_opened_total"))
          .as("dropping a queued call does not close the connection").isEqualTo(1);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(1);
    }
  }

  /**
   * The same over HTTP/2 (the upstream allows 2 streams per connection) and pipelining (2 deep), one connection, an
   * upstream that takes 1.5 s: 2 calls are sent, 3 wait for a stream or a pipelining slot when the 500 ms deadline answers. Those 3 leave the
   * pool's queue unsent (the request's connectTimeout, set to the deadline). Counts: what the upstream received,
   * and the gateway's abandoned calls making up the difference to the 5 planned.
   */
  @ParameterizedTest
  @ValueSource(strings = {"http2", "pipelining"})
  void callsWaitingForAStreamOrAPipeliningSlotAtTheDeadlineAreNotSent(String protocol) {
    boolean http2 = protocol.equals("http2");
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("1500ms")).with(b -> b.maxConcurrentStreams = 2),
        c -> c.withClient(true, 1, http2, !http2, 2).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10))
            .with(b -> b.fanoutTimeout = Duration.ofMillis(500)))) {
      Http.Answer answer = stack.fanout("?calls=5");
      assertThat(answer.status()).as(answer.body()).isEqualTo(504);
      Stack.await("every call to end", Duration.ofSeconds(20),
          () -> stack.gatewayMetrics().countOrZero("gateway_upstream_requests_total") == 5);
      long received = stack.upstreamMetrics().count("upstream_requests_total");
      Scrape m = stack.gatewayMetrics();
      assertThat(received).as("requests the upstream received").isEqualTo(2);
      assertThat(m.count("gateway_upstream_requests_total", "outcome=\"abandoned\"")).as("dropped, never sent")
          .isEqualTo(5 - received);
      assertThat(m.count("gateway_upstream_requests_total", "outcome=\"success\"")).isEqualTo(received);

      stack.fanout("?calls=1"); // 504 again (500 ms deadline); its call is still sent, on the same connection
      Stack.await("the next fan-out's call to be answered", Duration.ofSeconds(20),
          () -> stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"success\"") == 3);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_connections_opened_total"))
          .as("dropping waiting calls does not close the connection").isEqualTo(1);
    }
  }
}
