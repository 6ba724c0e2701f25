package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Beyond its bounds the gateway sheds load at once with 503 and Retry-After, instead of queueing. */
class OverloadTest {

  @Test
  void fanOutsBeyondTheConcurrencyLimitAre503WithRetryAfter() {
    // 1.5 s: long enough to read the gauges while two fan-outs run, under the 2 s --request-timeout.
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("1500ms")),
        c -> c.with(b -> b.maxConcurrentFanouts = 2))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(stack.gateway.baseUrl() + "/fanout?calls=5")).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      // The admission's gauges while the two admitted fan-outs wait for the upstream.
      Stack.await("two admitted fan-outs in flight", java.time.Duration.ofSeconds(10),
          () -> stack.gatewayMetrics().count("gateway_admission_in_flight") == 2);
      assertThat(stack.gatewayMetrics().count("gateway_admission_limit")).as("the limit: the ceiling of 2").isEqualTo(2);
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
      long ok = answers.stream().filter(a -> a.join().statusCode() == 200).count();
      List<HttpResponse<String>> shed = answers.stream().map(CompletableFuture::join).filter(a -> a.statusCode() == 503).toList();
      assertThat(ok).isEqualTo(2);
      assertThat(shed).hasSize(8).allSatisfy(a -> {
        assertThat(a.headers().firstValue("retry-after")).hasValue("1");
        assertThat(new JsonObject(a.body()).getString("error")).isEqualTo("gateway at its limit of 2 concurrent fan-outs "
            + "(adaptive, at most 2, --max-concurrent-fanouts, --admission); retry after 1 s");
        assertThat(new JsonObject(a.body()).getInteger("status")).isEqualTo(503);
      });
      assertThat(stack.gatewayMetrics().count("gateway_fanout_requests_total", "outcome=\"overloaded\"")).isEqualTo(8);
      assertThat(stack.gatewayMetrics().count("gateway_admission_shed_total")).as("shed").isEqualTo(8);
      Stack.await("no fan-out in flight once all are answered", java.time.Duration.ofSeconds(10),
          () -> stack.gatewayMetrics().count("gateway_admission_in_flight") == 0);
      // Shed requests cost the upstream nothing.
      assertThat(stack.upstreamMetrics().count("upstream_requests_total")).isEqualTo(10);
    }
  }

  @Test
  void aFullPoolWaitQueueIsA503WithRetryAfter() {
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("20ms")),
        c -> c.withClient(true, 1, false, false, 10).with(b -> b.maxWaitQueue = 5))) {
      Http.Answer answer = stack.fanout("?calls=50");
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.response().headers().firstValue("retry-after")).hasValue("1");
      JsonObject body = answer.json();
      int busy = body.getJsonObject("errors").getJsonObject("pool_busy").getInteger("count");
      assertThat(busy).isBetween(40, 45);
      assertThat(body.getInteger("succeeded")).isEqualTo(50 - busy);
      assertThat(body.getString("error")).contains("--max-wait-queue 5");
      assertThat(body.getInteger("status")).isEqualTo(503);
    }
  }
}
