package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad requests get a 400 (or 404/405) with a JSON body saying what was wrong, and call nothing upstream. */
class BadInputTest {
  static Stack stack;

  @BeforeAll
  static void start() {
    stack = Stack.start(u -> u, c -> c);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "abc", "1001", "99999999999", "1.5", "", "%20"})
  void callsOutsideOneToMaxFanOutIsA400(String calls) {
    Http.Answer answer = stack.fanout("?calls=" + calls);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.response().headers().firstValue("content-type")).hasValue("application/json");
    JsonObject body = answer.json();
    assertThat(body.getString("error")).contains("calls must be a whole number between 1 and 1000");
    assertThat(body.getInteger("status")).isEqualTo(400);
  }

  @Test
  void badRequestsCallNothingUpstream() {
    long callsBefore = stack.upstreamMetrics().count("upstream_requests_total");
    long refusedBefore = stack.gatewayMetrics().count("gateway_fanout_requests_total", "outcome=\"bad_request\"");
    stack.fanout("?calls=0");
    stack.fanout("?calls=abc");
    assertThat(stack.upstreamMetrics().count("upstream_requests_total")).isEqualTo(callsBefore);
    assertThat(stack.gatewayMetrics().count("gateway_fanout_requests_total", "outcome=\"bad_request\""))
        .isEqualTo(refusedBefore + 2);
  }

  @Test
  void callsWithinBoundsOverridesTheFanOut() {
    JsonObject body = stack.fanout("?calls=7").json();
    assertThat(body.getInteger("calls")).isEqualTo(7);
    assertThat(body.getInteger("succeeded")).isEqualTo(7);
    assertThat(stack.fanout("?calls=1000").json().getInteger("succeeded")).isEqualTo(1000);
  }

  @Test
  void unknownOrRepeatedParametersAreRefused() {
    Http.Answer unknown = stack.fanout("?target=http://example.com");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getString("error")).contains("unknown query parameter 'target'");
    Http.Answer twice = stack.fanout("?calls=1&calls=2");
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.json().getString("error")).contains("calls given 2 times");
  }

  @Test
  void unknownPathsAndMethodsAnswerJson() {
    Http.Answer missing = Http.get(stack.gateway.baseUrl() + "/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).isEqualTo("no such path: /nope");
  }

  @Test
  void healthAnswers200() {
    Http.Answer health = Http.get(stack.gateway.baseUrl() + "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("UP");
  }
}
