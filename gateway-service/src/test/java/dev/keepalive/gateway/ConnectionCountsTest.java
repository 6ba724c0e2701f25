package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lesson in numbers: how many TCP connections fan-outs of 100 calls cost under each client
 * configuration, counted three ways that must agree exactly: the gateway's answers, the gateway's
 * client metrics and the upstream's accepted connections.
 */
class ConnectionCountsTest {

  enum Mode {
    KEEP_ALIVE_OFF(c -> c.withClient(false, 10, false, false, 10), 3, 100, 100),
    KEEP_ALIVE_POOL_1(c -> c.withClient(true, 1, false, false, 10), 10, 1, 0),
    KEEP_ALIVE_POOL_10(c -> c.withClient(true, 10, false, false, 10), 3, 10, 0),
    HTTP2_POOL_1(c -> c.withClient(true, 1, true, false, 10), 3, 1, 0),
    PIPELINING_POOL_1(c -> c.withClient(true, 1, false, true, 10), 3, 1, 0);

    final UnaryOperator<GatewayConfig> client;
    final int fanouts;
    final int firstNew;
    final int laterNew;

    Mode(UnaryOperator<GatewayConfig> client, int fanouts, int firstNew, int laterNew) {
      this.client = client;
      this.fanouts = fanouts;
      this.firstNew = firstNew;
      this.laterNew = laterNew;
    }

    long expectedConnections() {
      return firstNew + (long) laterNew * (fanouts - 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fanOutsOpenExactlyTheExpectedConnections(Mode mode) {
    try (Stack stack = Stack.start(u -> u, mode.client)) {
      List<JsonObject> answers = new ArrayList<>();
      for (int i = 0; i < mode.fanouts; i++) {
        Http.Answer answer = stack.fanout("");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        answers.add(answer.json());
      }

      // What the user reads in each answer.
      for (int i = 0; i < answers.size(); i++) {
        JsonObject a = answers.get(i);
        assertThat(a.getInteger("calls")).isEqualTo(100);
        assertThat(a.getInteger("succeeded")).isEqualTo(100);
        assertThat(a.getInteger("failed")).isZero();
        assertThat(a.fieldNames()).as("plain HTTP: no TLS section").doesNotContain("tls");
        assertThat(a.getInteger("newConnections")).as("answer %d: %s", i, a).isEqualTo(i == 0 ? mode.firstNew : mode.laterNew);
        assertThat(a.getJsonObject("client").getBoolean("keepAlive")).isEqualTo(mode != Mode.KEEP_ALIVE_OFF);
      }

      long calls = 100L * mode.fanouts;
      long expected = mode.expectedConnections();
      Scrape gw = stack.gatewayMetrics();
      Scrape up = stack.upstreamMetrics();
      // Counted by the gateway's client, and independently by the upstream's server.
      assertThat(gw.count("gateway_upstream_connections_opened_total")).isEqualTo(expected);
      assertThat(up.count("upstream_connections_accepted_total")).isEqualTo(expected);
      assertThat(answers.stream().mapToLong(a -> a.getInteger("newConnections")).sum()).isEqualTo(expected);

      assertThat(gw.count("gateway_upstream_requests_total")).isEqualTo(calls);
      assertThat(gw.count("gateway_upstream_requests_total", "outcome=\"success\"")).isEqualTo(calls);
      assertThat(gw.count("gateway_upstream_request_duration_seconds_count")).isEqualTo(calls);
      assertThat(gw.count("gateway_upstream_request_duration_seconds_bucket", "le=\"+Inf\"")).isEqualTo(calls);
      assertThat(gw.count("gateway_fanout_requests_total", "outcome=\"success\"")).isEqualTo(mode.fanouts);
      assertThat(gw.count("gateway_fanout_duration_seconds_count")).isEqualTo(mode.fanouts);
      assertThat(up.count("upstream_requests_total", "status=\"200\"")).isEqualTo(calls);
      assertThat(up.count("upstream_request_duration_seconds_count")).isEqualTo(calls);

      // Closing the client closes every pooled connection: nothing leaks on either side.
      stack.gateway.closeClient().await();
      Stack.await("active connections to drain", Duration.ofSeconds(10), () ->
          stack.gatewayMetrics().count("gateway_upstream_connections_active") == 0
              && stack.upstreamMetrics().count("upstream_connections_active") == 0);
      Scrape after = stack.gatewayMetrics();
      assertThat(after.count("gateway_upstream_connections_closed_total")).isEqualTo(expected);
      // Every close was the gateway's: keep-alive off, or its client closing (not the upstream's idle timeout).
      assertThat(after.count("gateway_upstream_connections_closed_total", "closed_by=\"local\"")).isEqualTo(expected);
      assertThat(after.count("gateway_upstream_requests_per_connection_count")).isEqualTo(expected);
      assertThat(after.count("gateway_upstream_requests_per_connection_sum")).isEqualTo(calls);
    }
  }

  @Test
  void http2CarriesAFanOutConcurrentlyOnOneConnection() {
    // 100 calls of 1 s each on one connection: the upstream's peak of requests in flight shows they were served together.
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("1s")),
        c -> c.withClient(true, 1, true, false, 10))) {
      JsonObject a = stack.fanout("").json();
      assertThat(a.getInteger("succeeded")).isEqualTo(100);
      assertThat(a.getInteger("newConnections")).isEqualTo(1);
      assertThat(a.getInteger("connectionsUsed")).isEqualTo(1);
      assertThat(stack.upstreamMetrics().count("upstream_requests_in_flight_peak"))
          .as("calls the upstream held at once, all on one connection").isEqualTo(100);
      assertThat(a.getJsonObject("client").getString("protocol")).isEqualTo("HTTP/2");
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(1);
    }
  }

  @Test
  void maxRequestsPerConnectionMakesTheClientOpenAFreshConnectionWithoutFailures() {
    try (Stack stack = Stack.start(u -> u.withMaxRequestsPerConnection(10),
        c -> c.withClient(true, 1, false, false, 10))) {
      JsonObject a = stack.fanout("").json();
      assertThat(a.getInteger("failed")).as(a.encode()).isZero();
      assertThat(a.getInteger("newConnections")).isEqualTo(10);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(10);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_connections_opened_total")).isEqualTo(10);
      // Each connection ended because the upstream said Connection: close: a remote close.
      Stack.await("the tenth connection to close", Duration.ofSeconds(10), () ->
          stack.gatewayMetrics().count("gateway_upstream_connections_closed_total", "closed_by=\"remote\"") == 10);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_requests_per_connection_sum")).isEqualTo(100);
    }
  }

  @Test
  void http2StreamsAServerRefusesAreSentAgainOnANewConnection() {
    // Over HTTP/2 the upstream sends GOAWAY at the 10th stream: the streams above it were never processed.
    try (Stack stack = Stack.start(u -> u.withMaxRequestsPerConnection(10),
        c -> c.withClient(true, 1, true, false, 10))) {
      JsonObject a = stack.fanout("").json();
      assertThat(a.getInteger("failed")).as(a.encode()).isZero();
      assertThat(a.getInteger("newConnections")).isEqualTo(10);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(10);
      // Refused streams were not processed, so every call was served exactly once.
      assertThat(stack.upstreamMetrics().count("upstream_requests_total", "status=\"200\"")).isEqualTo(100);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_retries_total", "reason=\"refused_stream\"")).isPositive();
    }
  }
}
