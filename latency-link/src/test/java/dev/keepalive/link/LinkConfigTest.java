package dev.keepalive.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The link's settings as its flags give them: exact delays per direction, the bounds each flag keeps, its messages. */
class LinkConfigTest {
  private static final HostPort LISTEN = new HostPort("127.0.0.1", 0);
  private static final HostPort TARGET = new HostPort("127.0.0.1", 8081);

  private static LinkConfig link(Duration rtt, Duration jitter) {
    return LinkConfig.of(LISTEN, TARGET, rtt, jitter);
  }

  @Test
  void withoutJitterEachWayIsExactlyHalfTheRoundTripAndTheHandshakeFloorsAreOneAndAHalfAndTwoRtts() {
    LinkConfig c = link(Duration.ofMillis(50), Duration.ZERO);
    assertThat(c.oneWayNanos()).isEqualTo(25_000_000L);
    assertThat(c.clientFloorNanos()).isEqualTo(75_000_000L);
    assertThat(c.serverFloorNanos()).isEqualTo(100_000_000L);
    assertThat(c.eventLoops()).isEqualTo(1);
    assertThat(c.targets().describe()).isEqualTo("127.0.0.1:8081");
  }

  @Test
  void jitterSpreadsEachWayOverHalfTheJitterEitherSideAndNeverBelowZero() {
    LinkConfig c = link(Duration.ofMillis(50), Duration.ofMillis(20));
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    for (int i = 0; i < 20_000; i++) {
      long d = c.oneWayNanos();
      low = Math.min(low, d);
      high = Math.max(high, d);
    }
    assertThat(low).isGreaterThanOrEqualTo(15_000_000L).isLessThan(16_000_000L);
    assertThat(high).isLessThanOrEqualTo(35_000_000L).isGreaterThan(34_000_000L);
    // Jitter as large as the RTT: half the RTT less half the jitter is 0, the floor.
    LinkConfig wide = link(Duration.ofMillis(2), Duration.ofMillis(2));
    for (int i = 0; i < 1_000; i++) {
      assertThat(wide.oneWayNanos()).isBetween(0L, 2_000_000L);
    }
  }

  @Test
  void lossIsNeverWithZeroAndAlwaysWithAHundredPercent() {
    LinkConfig none = link(Duration.ofMillis(10), Duration.ZERO);
    LinkConfig all = none.withLoss(1.0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(none.loses()).isFalse();
      assertThat(all.loses()).isTrue();
    }
    int lost = 0;
    LinkConfig half = none.withLoss(0.5);
    for (int i = 0; i < 10_000; i++) {
      lost += half.loses() ? 1 : 0;
    }
    assertThat(lost).isBetween(4_000, 6_000);
  }

  @Test
  void describeSaysTheRoundTripJitterAndLossAsTheFlagsTakeThem() {
    assertThat(link(Duration.ofMillis(20), Duration.ZERO).describe()).isEqualTo("RTT 20ms");
    assertThat(link(Duration.ofMillis(20), Duration.ofMillis(5)).describe()).isEqualTo("RTT 20ms ±5ms");
    assertThat(link(Duration.ofMillis(20), Duration.ZERO).withLoss(0.005).describe()).isEqualTo("RTT 20ms, loss 0.5%");
    assertThat(link(Duration.ofMillis(20), Duration.ofMillis(5)).withLoss(0.01).describe())
        .isEqualTo("RTT 20ms ±5ms, loss 1%");
  }

  @Test
  void settingsOutsideTheirBoundsAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> link(Duration.ofMillis(-1), Duration.ZERO))
        .hasMessage("Invalid value for --rtt: -1ms (must not be negative)");
    assertThatThrownBy(() -> link(Duration.ofMillis(10), Duration.ofMillis(11)))
        .hasMessage("Invalid value for --rtt-jitter: 11ms (must be between 0 and the RTT, 10ms)");
    assertThatThrownBy(() -> link(Duration.ofMillis(10), Duration.ofMillis(-1)))
        .hasMessageStartingWith("Invalid value for --rtt-jitter: -1ms");
    assertThat(link(Duration.ofMillis(10), Duration.ofMillis(10)).jitter()).as("jitter equal to the RTT")
        .isEqualTo(Duration.ofMillis(10));
    assertThat(link(Duration.ZERO, Duration.ZERO).oneWayNanos()).isZero();

    Targets one = Targets.of(TARGET);
    for (int loops : List.of(0, 1025)) {
      assertThatThrownBy(() -> new LinkConfig(LISTEN, one, Duration.ZERO, Duration.ZERO, loops))
          .hasMessage("Invalid value for --event-loops: " + loops + " (must be 1 to 1024)");
    }
    assertThat(new LinkConfig(LISTEN, one, Duration.ZERO, Duration.ZERO, 1024).eventLoops()).isEqualTo(1024);
    for (double loss : List.of(-0.01, 1.01, Double.NaN)) {
      assertThatThrownBy(() -> new LinkConfig(LISTEN, one, Duration.ZERO, Duration.ZERO, 1, loss))
          .hasMessageStartingWith("Invalid value for --loss: ");
    }
    assertThat(new LinkConfig(LISTEN, one, Duration.ZERO, Duration.ZERO, 1, 1.0).loss()).isEqualTo(1.0);
    assertThat(new LinkConfig(LISTEN, one, Duration.ZERO, Duration.ZERO, 1, 0.0).loss()).isZero();
  }

  @Test
  void lossIsAPercentageFromZeroToAHundred() {
    LinkConfig.LossConverter loss = new LinkConfig.LossConverter();
    assertThat(loss.convert("1%")).isEqualTo(0.01);
    assertThat(loss.convert(" 0.5% ")).isEqualTo(0.005);
    assertThat(loss.convert("0%")).isZero();
    assertThat(loss.convert("100%")).isEqualTo(1.0);
    for (String bad : List.of("101%", "-1%", "1", "0.01", "abc%", "%", "")) {
      assertThatThrownBy(() -> loss.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class)
          .hasMessage("'" + bad + "': a percentage of packets lost, 0% to 100%, e.g. 1%");
    }
  }

  @Test
  void addressesParseWithOrWithoutAHostAndIpv6InBrackets() {
    HostPort.TargetConverter to = new HostPort.TargetConverter();
    HostPort.ListenConverter listen = new HostPort.ListenConverter();
    assertThat(to.convert("localhost:8081")).isEqualTo(new HostPort("localhost", 8081));
    assertThat(to.convert("[::1]:8081")).isEqualTo(new HostPort("::1", 8081));
    assertThat(to.convert("[::1]:8081").toString()).isEqualTo("[::1]:8081");
    assertThat(to.convert("127.0.0.1:65535").port()).isEqualTo(65535);
    assertThat(listen.convert("8181")).isEqualTo(new HostPort("0.0.0.0", 8181));
    assertThat(listen.convert("127.0.0.1:0")).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(new HostPort("example.test", 80).toSocketAddress().host()).isEqualTo("example.test");
    assertThat(new HostPort("example.test", 80).toSocketAddress().port()).isEqualTo(80);

    assertThatThrownBy(() -> to.convert("8081")).hasMessage("'8081' is not host:port, e.g. localhost:8081");
    assertThatThrownBy(() -> to.convert("localhost:0"))
        .hasMessage("'localhost:0' has port 0: give the port the upstream listens on");
    assertThatThrownBy(() -> to.convert("localhost:65536")).hasMessage("port 65536 is not between 0 and 65535");
    assertThatThrownBy(() -> to.convert("localhost:http")).hasMessage("'localhost:http' is not host:port, e.g. localhost:8081");
    assertThatThrownBy(() -> to.convert(":8081")).hasMessage("':8081' is not host:port, e.g. localhost:8081");
    assertThatThrownBy(() -> listen.convert("x")).hasMessage("'x' is not [host:]port, e.g. 8181 or 0.0.0.0:8181");
    assertThatThrownBy(() -> new HostPort(" ", 1)).hasMessage("a host is required");
    assertThatThrownBy(() -> new HostPort("h", -1)).hasMessage("port -1 is not between 0 and 65535");
  }
}
