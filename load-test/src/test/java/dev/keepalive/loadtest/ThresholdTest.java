package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thresholds as k6 has them: a breached one exits 99 and names itself; met ones exit 0. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThresholdTest {

  @Test
  void breachedThresholdsExitNonZeroAndNameThemselves() throws Exception {
    try (Services s = Services.start("1ms", g -> g.withClient(false, 10, false, false, 10))) {
      Cli cli = Cli.run("run", "--target", s.target(), "--concurrency", "2", "--duration", "1s", "--warmup", "0",
          "--calls", "4", "--max-handshakes-per-request", "1", "--max-p99", "1us", "--max-error-rate", "0");

      assertThat(cli.exit()).as("the exit status the help and README document").isEqualTo(99);
      assertThat(cli.err())
          .contains("threshold --max-handshakes-per-request 1.0 BREACHED: 4.000 handshakes per request")
          .contains("threshold --max-p99 1us BREACHED");
      assertThat(cli.out()).contains("threshold --max-error-rate 0.0 passed");
    }
  }

  @Test
  void metThresholdsExitZero() throws Exception {
    try (Services s = Services.start("1ms", g -> g.withClient(true, 2, false, false, 10))) {
      Cli cli = Cli.run("run", "--target", s.target(), "--concurrency", "2", "--duration", "1s", "--warmup", "500ms",
          "--calls", "4", "--max-handshakes-per-request", "0.01", "--max-p99", "10s", "--max-error-rate", "0");

      assertThat(cli.exit()).as(cli.err()).isZero();
      assertThat(cli.out()).contains("threshold --max-handshakes-per-request 0.01 passed",
          "threshold --max-p99 10s passed", "threshold --max-error-rate 0.0 passed");
    }
  }

  @Test
  void anUnreachableGatewayIsCountedAsErrorsAndBreachesTheErrorRate() {
    // Port 1 on loopback: nothing listens there, connections are refused at once.
    Cli cli = Cli.run("run", "--target", "http://127.0.0.1:1", "--concurrency", "1", "--duration", "300ms",
        "--warmup", "0", "--max-error-rate", "0.1", "--max-handshakes-per-request", "1");

    assertThat(cli.exit()).as("the exit status the help and README document").isEqualTo(99);
    assertThat(cli.out()).contains("connect_refused").contains("warning: cannot read metrics at http://127.0.0.1:1/metrics");
    assertThat(cli.err()).contains("--max-error-rate 0.1 BREACHED").contains("--max-handshakes-per-request 1.0 BREACHED: not measured");
  }
}
