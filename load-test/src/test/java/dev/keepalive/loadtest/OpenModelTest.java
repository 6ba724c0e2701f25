package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open model sends at its rate whatever the target does: a slower upstream raises the measured
 * latency, it does not lower the number of requests sent (no coordinated omission).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenModelTest {
  private static final int RATE = 40;
  private static final int SECONDS = 3;

  @TempDir
  Path dir;

  @Test
  void aSlowerUpstreamRaisesLatencyNotTheSendingRate() throws Exception {
    JsonObject fast = run("1ms");
    JsonObject slow = run("100ms");

    long expected = (long) RATE * SECONDS;
    assertThat(fast.getLong("requests")).isCloseTo(expected, within(expected / 20));
    assertThat(slow.getLong("requests")).isCloseTo(expected, within(expected / 20));
    // The gateway did receive them all: the rate is the target's, not only the driver's intent.
    assertThat(slow.getJsonObject("services").getJsonObject("gateway").getLong("requests"))
        .isEqualTo(slow.getLong("requests"));
    assertThat(slow.getLong("failed")).isZero();
    assertThat(slow.getJsonObject("latency").getDouble("p50Ms")).isGreaterThanOrEqualTo(100.0);
    // No bound on the fast run's latency (lower bounds only): on a 2-core machine at a load average of 30 its p50
    // was 1.0-1.6 s, above the slow run's.
    assertThat(slow.getJsonArray("warnings")).isEmpty();
  }

  @Test
  void tooFewDriverConnectionsForTheRateAreReported() throws Exception {
    // 20 requests a second of at least 100 ms each: about 2 in flight, on 1 driver connection.
    JsonObject r = run("100ms", "--rate", "20", "--duration", "1s", "--connections", "1");

    assertThat(r.getLong("requests")).isEqualTo(20);
    assertThat(r.getJsonArray("warnings").getString(0)).contains("raise --connections");
  }

  private JsonObject run(String delay) throws Exception {
    return run(delay, "--rate", Integer.toString(RATE), "--duration", SECONDS + "s");
  }

  private JsonObject run(String delay, String... load) throws Exception {
    Path json = dir.resolve("open-" + delay + "-" + load.length + ".json");
    try (Services s = Services.start(delay, g -> g.withClient(true, 10, false, false, 10))) {
      List<String> args = new ArrayList<>(List.of("run", "--target", s.target(),
          "--warmup", "0", "--calls", "2", "--json", json.toString()));
      args.addAll(List.of(load));
      Cli cli = Cli.run(args.toArray(String[]::new));
      assertThat(cli.exit()).as(cli.err()).isZero();
      assertThat(cli.out()).contains("open model");
      return new JsonObject(Files.readString(json)).getJsonArray("runs").getJsonObject(0);
    }
  }
}
