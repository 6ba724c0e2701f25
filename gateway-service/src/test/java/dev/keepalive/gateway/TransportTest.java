package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keepalive.common.TransportChoice;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * --transport: each transport starts both services and carries fan-outs with exact counts, the answer names the
 * transport in use, and one that cannot run here falls back to NIO with a log line saying why.
 */
class TransportTest {

  enum Client {
    POOL_10(c -> c.withClient(true, 10, false, false, 10), 10),
    HTTP2(c -> c.withClient(true, 1, true, false, 10), 1),
    PIPELINED(c -> c.withClient(true, 1, false, true, 10), 1);

    final UnaryOperator<GatewayConfig> config;
    final int connections;

    Client(UnaryOperator<GatewayConfig> config, int connections) {
      this.config = config;
      this.connections = connections;
    }
  }

  private static boolean linux() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
  }

  private static boolean ioUringAllowed() throws Exception {
    Path switchFile = Path.of("/proc/sys/kernel/io_uring_disabled");
    return !Files.exists(switchFile) || Files.readString(switchFile).trim().equals("0");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"nio, POOL_10", "nio, HTTP2", "nio, PIPELINED", "epoll, POOL_10", "epoll, HTTP2", "epoll, PIPELINED",
      "io_uring, POOL_10", "io_uring, HTTP2", "io_uring, PIPELINED"})
  void eachTransportCarriesFanOutsWithExactCounts(String flag, Client client) throws Exception {
    TransportChoice transport = TransportChoice.valueOf(flag.toUpperCase(Locale.ROOT));
    // The native jars in service-common cover Linux x86-64 and aarch64: there these must run, not fall back.
    assumeTrue(transport == TransportChoice.NIO || linux(), "epoll and io_uring are Linux transports");
    assumeTrue(transport != TransportChoice.IO_URING || ioUringAllowed(), "io_uring is disabled by this kernel");
    try (Stack stack = Stack.start(u -> u.withTransport(transport),
        c -> client.config.apply(c).with(b -> b.transport = transport))) {
      assertThat(stack.upstream.transport()).isEqualTo(transport);
      assertThat(stack.gateway.transport()).isEqualTo(transport);
      for (int i = 0; i < 3; i++) {
        Http.Answer answer = stack.fanout("");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonObject a = answer.json();
        assertThat(a.getInteger("succeeded")).isEqualTo(100);
        assertThat(a.getInteger("failed")).isZero();
        assertThat(a.getInteger("newConnections")).isEqualTo(i == 0 ? client.connections : 0);
        assertThat(a.getJsonObject("client").getString("transport")).isEqualTo(flag);
      }
      assertThat(stack.gatewayMetrics().count("gateway_upstream_requests_total", "outcome=\"success\"")).isEqualTo(300);
      assertThat(stack.upstreamMetrics().count("upstream_requests_total", "status=\"200\"")).isEqualTo(300);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(client.connections);
    }
  }

  @Test
  void aTransportThatCannotRunHereFallsBackToNioWithOneLogLine() {
    // kqueue on Linux, epoll on macOS: there is always one.
    TransportChoice unavailable = linux() ? TransportChoice.KQUEUE : TransportChoice.EPOLL;
    Logger logger = (Logger) LoggerFactory.getLogger(TransportChoice.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try (Stack stack = Stack.start(u -> u, c -> c.with(b -> b.transport = unavailable))) {
      assertThat(stack.gateway.transport()).isEqualTo(TransportChoice.NIO);
      Http.Answer answer = stack.fanout("");
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.json().getInteger("succeeded")).isEqualTo(100);
      assertThat(answer.json().getJsonObject("client").getString("transport")).isEqualTo("nio");
    } finally {
      logger.detachAppender(logged);
    }
    List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("gateway:")).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("gateway: transport " + unavailable.label()
        + " is not available here, running on nio (" + unavailable.label() + ": ");
  }

  @Test
  void autoTakesTheFastestTransportThisMachineRuns() throws Exception {
    // Measured order (docs/transports.md): io_uring, then epoll, then NIO.
    TransportChoice expected = !linux() ? null : ioUringAllowed() ? TransportChoice.IO_URING : TransportChoice.EPOLL;
    assumeTrue(expected != null, "the measured order is for Linux");
    try (Stack stack = Stack.start(u -> u, c -> c.with(b -> b.transport = TransportChoice.AUTO))) {
      assertThat(stack.gateway.transport()).isEqualTo(expected);
      assertThat(stack.fanout("").json().getJsonObject("client").getString("transport")).isEqualTo(expected.label());
    }
  }
}
