package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Pipelining against an upstream that closes each connection after 10 requests: the requests already
 * pipelined behind the tenth are never answered. Without retries fan-outs fail; with them none does.
 */
class PipeliningRetryTest {
  static final int FANOUTS = 10;

  static int failedFanOuts(boolean retry, long[] retries) {
    try (Stack stack = Stack.start(u -> u.withMaxRequestsPerConnection(10),
        c -> c.withClient(true, 1, false, true, 10).with(b -> b.retry = retry))) {
      int failed = 0;
      for (int i = 0; i < FANOUTS; i++) {
        Http.Answer answer = stack.fanout("");
        JsonObject body = answer.json();
        if (answer.status() != 200) {
          failed++;
          assertThat(answer.status()).isEqualTo(502);
          assertThat(body.getJsonObject("errors").fieldNames()).as(body.encode())
              .isSubsetOf("connection_closed", "connection_reset");
        } else {
          assertThat(body.getInteger("succeeded")).isEqualTo(100);
        }
      }
      retries[0] = stack.gatewayMetrics().count("gateway_upstream_retries_total", "reason=\"unanswered_pipelined\"");
      // Every call was served at least once. A server closing a connection that still holds unread pipelined
      // requests resets it, which can destroy a response already written: that call is retried and served twice.
      if (retry) {
        assertThat(stack.upstreamMetrics().count("upstream_requests_total", "status=\"200\""))
            .isBetween(100L * FANOUTS, 100L * FANOUTS + retries[0]);
      }
      return failed;
    }
  }

  @Test
  void withoutRetriesPipelinedCallsAreLost() {
    long[] retries = {0};
    assertThat(failedFanOuts(false, retries)).isPositive();
    assertThat(retries[0]).isZero();
  }

  @Test
  void withRetriesNoFanOutFails() {
    long[] retries = {0};
    assertThat(failedFanOuts(true, retries)).isZero();
    assertThat(retries[0]).as("pipelined calls a closing connection dropped").isPositive();
    System.out.printf("pipelining, upstream closing every 10 requests: %d fan-outs of 100, 0 failed, %d calls retried%n",
        FANOUTS, retries[0]);
  }
}
