package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** An upstream that answers with an error has answered: the call failed, the fan-out says how many, nothing is retried. */
class UpstreamErrorsTest {

  @Test
  void upstream500sMakeA502SayingHowManyCallsFailed() {
    try (Stack stack = Stack.start(u -> u.withErrorRate(1.0), c -> c)) {
      Http.Answer answer = stack.fanout("?calls=10");
      assertThat(answer.status()).as(answer.body()).isEqualTo(502);
      JsonObject body = answer.json();
      assertThat(body.getString("error")).isEqualTo("10 of 10 upstream calls failed");
      assertThat(body.getInteger("calls")).isEqualTo(10);
      assertThat(body.getInteger("succeeded")).isZero();
      assertThat(body.getInteger("failed")).isEqualTo(10);
      JsonObject errors = body.getJsonObject("errors");
      assertThat(errors.fieldNames()).containsExactly("http_5xx");
      assertThat(errors.getJsonObject("http_5xx").getInteger("count")).isEqualTo(10);
      assertThat(errors.getJsonObject("http_5xx").getString("example")).isEqualTo("upstream answered 500");

      Scrape gateway = stack.gatewayMetrics();
      assertThat(gateway.count("gateway_upstream_requests_total", "outcome=\"http_5xx\"")).isEqualTo(10);
      assertThat(gateway.count("gateway_upstream_requests_total", "outcome=\"success\"")).isZero();
      assertThat(gateway.count("gateway_fanout_requests_total", "outcome=\"upstream_error\"")).isEqualTo(1);
      assertThat(gateway.count("gateway_upstream_retries_total")).as("an answered call is never sent again").isZero();
      // The upstream's own count: each call reached it once and was answered 500.
      assertThat(stack.upstreamMetrics().count("upstream_requests_total", "status=\"500\"")).isEqualTo(10);
      // An upstream that answers is up, whatever it answers.
      assertThat(Http.get(stack.gateway.baseUrl() + "/health").json().getJsonObject("upstream").getString("state"))
          .isEqualTo("UP");
    }
  }

  @Test
  void upstream404sAreFailedCallsOfTheirOwnKind() {
    try (Stack stack = Stack.start(u -> u, c -> c.with(b -> b.upstream = UpstreamAddress.parse(
        b.upstream.toString() + "/no-such-base")))) {
      Http.Answer answer = stack.fanout("?calls=4");
      assertThat(answer.status()).as(answer.body()).isEqualTo(502);
      JsonObject body = answer.json();
      assertThat(body.getString("error")).isEqualTo("4 of 4 upstream calls failed");
      assertThat(body.getJsonObject("errors").getJsonObject("http_4xx").getInteger("count")).isEqualTo(4);
      assertThat(body.getJsonObject("errors").getJsonObject("http_4xx").getString("example"))
          .isEqualTo("upstream answered 404");
      assertThat(stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"http_4xx\"")).isEqualTo(4);
    }
  }
}
