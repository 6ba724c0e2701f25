package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A slow upstream never makes the gateway hang: per-call timeouts and a deadline for the fan-out give a 504. */
class SlowUpstreamTest {

  @Test
  void callsThatTimeOutGiveA504SayingHowMany() {
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("2s")),
        c -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)))) {
      Http.Answer answer = stack.fanout("?calls=10");
      assertThat(answer.status()).isEqualTo(504);
      JsonObject body = answer.json();
      assertThat(body.getInteger("timedOut")).isEqualTo(10);
      assertThat(body.getInteger("failed")).isEqualTo(10);
      assertThat(body.getJsonObject("errors").getJsonObject("timeout").getInteger("count")).isEqualTo(10);
      assertThat(body.getString("error")).isEqualTo("10 of 10 calls timed out (--request-timeout 200ms)");
      assertThat(stack.gatewayMetrics().count("gateway_fanout_requests_total", "outcome=\"timeout\"")).isEqualTo(1);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"timeout\"")).isEqualTo(10);
    }
  }

  @Test
  void theFanOutDeadlineAnswersWithWhatCompleted() {
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("2s")),
        c -> c.with(b -> b.fanoutTimeout = Duration.ofMillis(300)))) {
      Http.Answer answer = stack.fanout("?calls=10");
      assertThat(answer.status()).isEqualTo(504);
      JsonObject body = answer.json();
      assertThat(body.getInteger("timedOut")).isEqualTo(10);
      assertThat(body.getJsonObject("errors").getJsonObject("deadline_exceeded").getInteger("count")).isEqualTo(10);
      assertThat(body.getString("error")).contains("fan-out deadline 300ms passed, 10 still unanswered");
      assertThat(body.getDouble("durationMs")).isLessThan(2000.0);
    }
  }
}
