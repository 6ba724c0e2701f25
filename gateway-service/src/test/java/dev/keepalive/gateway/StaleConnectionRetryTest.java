package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stale-connection race, made certain: what the gateway sees when an upstream's idle timer fires just as a call
 * leaves on a reused connection is a request sent and the connection closed with no byte of answer. This upstream
 * does exactly that on a signal ({@link #closeOnNextRequests}), so every run meets the race at the same call.
 */
class StaleConnectionRetryTest {
  Vertx vertx;
  HttpServer upstream;
  final AtomicInteger closeNext = new AtomicInteger();
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger answered = new AtomicInteger();
  GatewayServer gateway;

  @BeforeEach
  void startUpstream() {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer()
        .connectionHandler(c -> accepted.incrementAndGet())
        .requestHandler(req -> {
          if (closeNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            req.connection().close(); // the race: the request arrived, the server closes without answering
            return;
          }
          answered.incrementAndGet();
          req.response().putHeader("content-type", "application/json").end("{\"id\":1}");
        })
        .listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close().await();
    vertx.close().await();
  }

  void startGateway(boolean retry) {
    gateway = GatewayServer.start(GatewayConfig.defaults("http://127.0.0.1:" + upstream.actualPort()).withMetricsPort(0)
        .with(b -> {
          b.retry = retry;
          b.poolSize = 1;
        })).await();
  }

  /** The next {@code n} requests the upstream receives close their connection unanswered. */
  void closeOnNextRequests(int n) {
    closeNext.set(n);
  }

  Http.Answer fanout(int calls) {
    return Http.get(gateway.baseUrl() + "/fanout?calls=" + calls);
  }

  long retries() {
    return Scrape.of(gateway.metricsUrl()).countOrZero("gateway_upstream_retries_total", "reason=\"stale_connection\"");
  }

  @Test
  void withTheRetryACallLostToTheRaceIsSentAgainOnAFreshConnection() {
    startGateway(true);
    assertThat(fanout(1).status()).isEqualTo(200); // the connection is open and idle
    closeOnNextRequests(1);

    Http.Answer answer = fanout(1);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonObject body = answer.json();
    assertThat(body.getInteger("succeeded")).isEqualTo(1);
    assertThat(body.getInteger("newConnections")).as("the retry's fresh connection").isEqualTo(1);
    assertThat(retries()).isEqualTo(1);
    assertThat(accepted.get()).isEqualTo(2);
    assertThat(answered.get()).isEqualTo(2);
  }

  @Test
  void withoutTheRetryTheRaceFailsTheCall() {
    startGateway(false);
    assertThat(fanout(1).status()).isEqualTo(200);
    closeOnNextRequests(1);

    Http.Answer answer = fanout(1);
    assertThat(answer.status()).as(answer.body()).isEqualTo(502);
    JsonObject body = answer.json();
    assertThat(body.getString("error")).isEqualTo("1 of 1 upstream calls failed");
    assertThat(body.getJsonObject("errors").fieldNames()).containsAnyOf("connection_closed", "connection_reset")
        .hasSize(1);
    assertThat(retries()).isZero();
    assertThat(answered.get()).isEqualTo(1);
  }

  /** On a connection's first request the race cannot be told from a server that processed the call and died: no retry. */
  @Test
  void aCallThatFailsOnAFreshConnectionIsNotRetried() {
    startGateway(true);
    closeOnNextRequests(1);

    Http.Answer answer = fanout(1);
    assertThat(answer.status()).as(answer.body()).isEqualTo(502);
    assertThat(retries()).isZero();
    assertThat(accepted.get()).isEqualTo(1);
    assertThat(answered.get()).isZero();
  }

  /** One re-send, never two: a call whose retry meets the race again fails. */
  @Test
  void aRetryIsSentOnlyOnce() {
    startGateway(true);
    assertThat(fanout(1).status()).isEqualTo(200);
    closeOnNextRequests(2);

    Http.Answer answer = fanout(1);
    assertThat(answer.status()).as(answer.body()).isEqualTo(502);
    assertThat(retries()).isEqualTo(1);
    assertThat(answered.get()).isEqualTo(1);
  }
}
