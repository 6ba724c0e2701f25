package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upstream's state as /health reports it (UpstreamHealth): from the calls the gateway made lately, else from a
 * probe of the upstream's /health; DOWN only after 5 s without any answer, and never from a probe that timed out.
 * On loopback, with a small server answering what each case needs. (UpstreamOutageTest and ConnectTimeoutTest show
 * the same through a gateway.)
 */
class UpstreamHealthTest {
  private static final long SECOND = 1_000_000_000L;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static CallResult answered(int status) {
    return new CallResult(status, FailureKinds.ofStatus(status), status == 200 ? null : "upstream answered " + status,
        false, 1, 1_000);
  }

  private static CallResult refused() {
    return new CallResult(0, "connect_refused", "Connection refused: /127.0.0.1:9", true, 0, 1_000);
  }

  private static UpstreamHealth health(int port) {
    return new UpstreamHealth(vertx, GatewayConfig.defaults("http://127.0.0.1:" + port)
        .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(2)));
  }

  @Test
  void callsTellTheStateAndARefusedConnectMakesItDownOnlyAfterFiveSecondsWithoutAnAnswer() {
    UpstreamHealth health = health(9);
    long now = System.nanoTime();
    health.observed(answered(200), now);
    JsonObject up = health.report().await();
    assertThat(up.getString("state")).isEqualTo("UP");
    assertThat(up.getString("source")).isEqualTo("traffic");
    assertThat(up.getString("url")).isEqualTo("http://127.0.0.1:9");
    assertThat(up.getString("observedAt")).isNotNull();
    assertThat(up.containsKey("error")).isFalse();

    health.observed(refused(), now + 5 * SECOND);
    assertThat(health.report().await().getString("state")).as("5 s after the last answer").isEqualTo("UP");

    health.observed(refused(), now + 5 * SECOND + 1);
    JsonObject down = health.report().await();
    assertThat(down.getString("state")).isEqualTo("DOWN");
    assertThat(down.getString("source")).isEqualTo("traffic");
    assertThat(down.getString("error")).isEqualTo("connect_refused: Connection refused: /127.0.0.1:9");

    // Any answer, an error status included, means the upstream is reachable.
    health.observed(answered(503), now + 6 * SECOND);
    JsonObject back = health.report().await();
    assertThat(back.getString("state")).isEqualTo("UP");
    assertThat(back.containsKey("error")).as(back.encode()).isFalse();
    health.close().await();
  }

  @Test
  void failuresThatDoNotSayTheUpstreamIsUnreachableLeaveTheStateAsItWas() {
    UpstreamHealth health = health(9);
    long now = System.nanoTime();
    health.observed(answered(200), now);
    health.observed(new CallResult(0, "timeout", "no answer", false, 1, 1_000), now + 10 * SECOND);
    health.observed(new CallResult(0, "connection_closed", "closed", false, 1, 1_000), now + 10 * SECOND);
    assertThat(health.report().await().getString("state")).isEqualTo("UP");
    assertThat(health.unreachable("connect_refused")).isTrue();
    assertThat(health.unreachable("no_route_to_host")).isTrue();
    assertThat(health.unreachable("timeout")).isFalse();
    health.close().await();
  }

  @Test
  void withoutRecentCallsAProbeOfAClosedPortSaysDownAndWhy() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    UpstreamHealth health = health(closed);
    Instant before = Instant.now();
    JsonObject down = health.report().await();
    Instant after = Instant.now();
    assertThat(down.getString("state")).isEqualTo("DOWN");
    assertThat(down.getString("source")).isEqualTo("probe");
    assertThat(down.getString("error")).startsWith("connect_refused: ");
    // The probe's wall-clock time (a second of slack either way for the clocks' granularity).
    assertThat(Instant.parse(down.getString("observedAt"))).isBetween(before.minusSeconds(1), after.plusSeconds(1));
    health.close().await();
  }

  @Test
  void aProbeAnsweredWithAnErrorStatusSaysDownAnd200SaysUp() {
    int[] status = {503};
    String[] path = {null};
    int[] requests = {0};
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      requests[0]++;
      path[0] = req.path();
      req.response().setStatusCode(status[0]).end();
    }).listen(0, "127.0.0.1").await();
    try {
      UpstreamHealth health = health(server.actualPort());
      JsonObject down = health.report().await();
      assertThat(down.getString("state")).isEqualTo("DOWN");
      assertThat(down.getString("error")).isEqualTo("health answered 503");
      assertThat(path[0]).isEqualTo("/health");
      health.close().await();
      // A new gateway's health (the last probe's answer is reused for 2 s).
      status[0] = 200;
      UpstreamHealth again = health(server.actualPort());
      JsonObject up = again.report().await();
      assertThat(up.getString("state")).isEqualTo("UP");
      assertThat(up.getString("source")).isEqualTo("probe");
      assertThat(up.containsKey("error")).isFalse();
      int probes = requests[0];
      JsonObject reused = again.report().await();
      assertThat(requests[0]).as("the probe's answer is reused within 2 s").isEqualTo(probes);
      assertThat(reused.getString("source")).as("and still said to come from the probe").isEqualTo("probe");
      again.close().await();
    } finally {
      server.close().await();
    }
  }

  @Test
  void aProbeThatTimesOutSaysNothingCertain() throws IOException {
    // A listener that accepts and never answers: the probe times out after the connect timeout (300 ms).
    try (ServerSocket silent = new ServerSocket(0)) {
      UpstreamHealth health = health(silent.getLocalPort());
      JsonObject unknown = health.report().await();
      assertThat(unknown.getString("state")).isEqualTo("UNKNOWN");
      assertThat(unknown.getValue("observedAt")).isNull();
      assertThat(unknown.containsKey("error")).isFalse();
      health.close().await();
    }
  }
}
