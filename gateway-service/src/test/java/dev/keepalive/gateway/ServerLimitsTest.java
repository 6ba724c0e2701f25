package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.server.ServerLimits;
import dev.keepalive.common.testing.RawConnection;
import dev.keepalive.common.testing.SlowClients;
import dev.keepalive.upstream.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway protects its own server side as Node's does: half-sent requests get a 408 and a close after
 * --headers-timeout, idle keep-alive connections close after --idle-timeout (not during a slow request), and
 * connections beyond --max-client-connections are closed at once. Counts, with lower bounds on time only.
 */
class ServerLimitsTest {
  static Stack stack(ServerLimits limits) {
    return Stack.start(u -> u, c -> c.with(b -> b.serverLimits = limits));
  }

  /** The start line's "server" part: each setting, as Node's server reports its timeouts; zero reads "off". */
  @Test
  void theStartLineReportsEachServerSetting() {
    assertThat(ServerLimits.gatewayDefaults().toJson()).isEqualTo(new io.vertx.core.json.JsonObject()
        .put("idleTimeout", "5s").put("headersTimeout", "10s").put("maxClientConnections", "10000"));
    assertThat(new ServerLimits(Duration.ZERO, Duration.ZERO, 0).toJson()).isEqualTo(new io.vertx.core.json.JsonObject()
        .put("idleTimeout", "off").put("headersTimeout", "off").put("maxClientConnections", "unlimited"));
    assertThat(new ServerLimits(Duration.ofMillis(1500), Duration.ofSeconds(2), 3).toJson().encode())
        .isEqualTo("{\"idleTimeout\":\"1500ms\",\"headersTimeout\":\"2s\",\"maxClientConnections\":\"3\"}");
  }

  @Test
  void threeHundredHalfRequestsAreAnswered408AndClosedAfterTheHeadersTimeoutWhileANormalRequestIsServed() throws Exception {
    Duration headersTimeout = Duration.ofSeconds(2);
    try (Stack stack = stack(new ServerLimits(Duration.ofSeconds(5), headersTimeout, 10_000))) {
      SlowClients.halfRequestsAreAnswered408AndClosed(stack.gateway.port(), "/fanout", 300, headersTimeout,
          () -> assertThat(stack.fanout("?calls=5").status()).as("a normal request meanwhile").isEqualTo(200));
      Stack.await("300 closes counted", Duration.ofSeconds(10), () -> stack.gatewayMetrics()
          .countOrZero("gateway_server_connections_closed_total", "reason=\"headers_timeout\"") == 300);
      assertThat(stack.gatewayMetrics().count("gateway_server_connections_closed_total", "reason=\"idle\"")).isZero();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeoutAndNotBefore() throws Exception {
    Duration idle = Duration.ofSeconds(2);
    try (Stack stack = stack(new ServerLimits(idle, Duration.ofSeconds(10), 10_000));
        RawConnection c = new RawConnection(stack.gateway.port())) {
      String first = c.get("/health");
      assertThat(first).startsWith("HTTP/1.1 200").containsIgnoringCase("keep-alive: timeout=1"); // a second early
      long answered = System.nanoTime();
      assertThat(c.get("/health")).as("still open for a second request").startsWith("HTTP/1.1 200");
      answered = System.nanoTime();
      assertThat(c.readUntilClosed(idle.plusSeconds(20))).isEmpty();
      long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered);
      assertThat(idleMs).as("not closed before the idle timeout").isGreaterThanOrEqualTo(idle.toMillis() - 20);
      Stack.await("the close counted as idle", Duration.ofSeconds(10), () -> stack.gatewayMetrics()
          .countOrZero("gateway_server_connections_closed_total", "reason=\"idle\"") == 1);
    }
  }

  /**
   * Every request's headers are timed, not only a connection's first: with the idle timeout off (nothing else would
   * ever close it), a kept-alive connection that served a request and then sends half of the next one gets a 408 and
   * a close once --headers-timeout has passed since those bytes, not before; the same connection left idle instead
   * is not closed by the headers timeout.
   */
  @Test
  void aLaterRequestsHalfSentHeadersAreAnswered408AfterTheHeadersTimeoutEvenWithTheIdleTimeoutOff() throws Exception {
    Duration headersTimeout = Duration.ofSeconds(2);
    try (Stack stack = stack(new ServerLimits(Duration.ZERO, headersTimeout, 10_000));
        RawConnection idle = new RawConnection(stack.gateway.port());
        RawConnection c = new RawConnection(stack.gateway.port())) {
      assertThat(idle.get("/health")).startsWith("HTTP/1.1 200");
      assertThat(c.get("/health")).startsWith("HTTP/1.1 200");
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      long sent = System.nanoTime();
      String answer = c.readUntilClosed(headersTimeout.plusSeconds(20));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"status\":408").contains("--headers-timeout");
      assertThat(waitedMs).as("not closed before the headers timeout").isGreaterThanOrEqualTo(headersTimeout.toMillis() - 20);
      Stack.await("the close counted as headers_timeout", Duration.ofSeconds(10), () -> stack.gatewayMetrics()
          .countOrZero("gateway_server_connections_closed_total", "reason=\"headers_timeout\"") == 1);
      // The idle one, open without a request for longer than the headers timeout by now, still serves.
      assertThat(idle.get("/health")).as("an idle connection is not timed by --headers-timeout").startsWith("HTTP/1.1 200");
    }
  }

  /**
   * Vert.x has no server-side request timeout, and the gateway's routes read no body: a request that announces a body
   * and sends part of it is answered at once, then its connection is closed by --idle-timeout once bytes stop (not
   * before), counted as idle. With --idle-timeout 0 nothing would close it (docs/overload.md says so).
   */
  @Test
  void aHalfSentBodyIsAnsweredAndItsConnectionClosedByTheIdleTimeout() throws Exception {
    Duration idle = Duration.ofSeconds(1);
    try (Stack stack = stack(new ServerLimits(idle, Duration.ofSeconds(10), 10_000));
        RawConnection c = new RawConnection(stack.gateway.port())) {
      long sent = System.nanoTime(); // the server's answer, and its idle timer, can only start after this
      c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789");
      assertThat(c.readResponse()).as("answered without the rest of the body").startsWith("HTTP/1.1 200");
      assertThat(c.readUntilClosed(idle.plusSeconds(20))).isEmpty();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).as("not closed before the idle timeout")
          .isGreaterThanOrEqualTo(idle.toMillis() - 20);
      Stack.await("the close counted as idle", Duration.ofSeconds(10), () -> stack.gatewayMetrics()
          .countOrZero("gateway_server_connections_closed_total", "reason=\"idle\"") == 1);
    }
  }

  @Test
  void aRequestSlowerThanTheIdleTimeoutIsAnsweredOnItsConnection() throws Exception {
    // Vert.x's own setIdleTimeout would close this connection while the fan-out waits for the upstream.
    try (Stack stack = Stack.start(u -> u.withDelay(Delay.parse("1500ms")),
        c -> c.with(b -> b.serverLimits = new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(10), 10_000)));
        RawConnection c = new RawConnection(stack.gateway.port())) {
      assertThat(c.get("/fanout?calls=1")).startsWith("HTTP/1.1 200").contains("\"succeeded\":1");
      assertThat(stack.gatewayMetrics().count("gateway_server_connections_closed_total", "reason=\"idle\"")).isZero();
    }
  }

  @Test
  void beyondMaxClientConnectionsANewConnectionIsClosedAtOnceAndOneUnderTheLimitIsServed() throws Exception {
    try (Stack stack = stack(new ServerLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 3))) {
      List<RawConnection> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawConnection c = new RawConnection(stack.gateway.port());
          assertThat(c.get("/health")).startsWith("HTTP/1.1 200");
          open.add(c);
        }
        try (RawConnection refused = new RawConnection(stack.gateway.port())) {
          refused.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          assertThat(refused.readUntilClosed(Duration.ofSeconds(20))).as("no answer, only a close").isEmpty();
        }
        assertThat(open.get(0).get("/health")).as("the admitted ones keep being served").startsWith("HTTP/1.1 200");
        open.remove(2).close();
        Stack.await("a connection closed", Duration.ofSeconds(10),
            () -> stack.gatewayMetrics().count("gateway_server_connections_active") == 2);
        try (RawConnection underTheLimit = new RawConnection(stack.gateway.port())) {
          assertThat(underTheLimit.get("/health")).startsWith("HTTP/1.1 200");
        }
        Scrape m = stack.gatewayMetrics();
        assertThat(m.count("gateway_server_connections_closed_total", "reason=\"limit\"")).isEqualTo(1);
        assertThat(m.count("gateway_server_connections_accepted_total")).isEqualTo(5);
      } finally {
        for (RawConnection c : open) c.close();
      }
    }
  }

  /**
   * Debian's slowhttptest in slowloris mode: 200 connections sending a header line a second and never finishing.
   * Every one is closed once --headers-timeout passes (the tool ends with "No open connections left"), and its
   * probe request is answered 200 every second.
   */
  @Test
  void slowhttptestSlowlorisConnectionsAreAllClosedAndTheServiceStaysAvailable(@TempDir Path dir) throws Exception {
    try (Stack stack = stack(new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(3), 10_000))) {
      SlowClients.slowlorisIsClosedAndTheServerStaysAvailable(stack.gateway.baseUrl() + "/health", 200, dir);
      Stack.await("200 closes counted", Duration.ofSeconds(10), () -> stack.gatewayMetrics()
          .countOrZero("gateway_server_connections_closed_total", "reason=\"headers_timeout\"") >= 200);
    }
  }
}
