package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** demo through a 20 ms round trip: keep-alive off pays for its handshakes, and every report says which RTT. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoWithRttTest {
  static final double RTT_MS = 20;

  @TempDir
  Path dir;

  @Test
  void keepAliveOffIsAtLeastOneRoundTripSlowerThanAPoolAndTheReportsSayTheRtt() throws Exception {
    Path json = dir.resolve("demo.json");
    Path html = dir.resolve("demo.html");
    Cli cli = Cli.run("demo", "--rtt", "20ms", "--configs", "off,pool10", "--duration", "3s",
        "--json", json.toString(), "--html", html.toString());
    assertThat(cli.exit()).as(cli.err()).isZero();

    JsonObject report = new JsonObject(Files.readString(json));
    JsonObject off = report.getJsonArray("runs").getJsonObject(0);
    JsonObject pool = report.getJsonArray("runs").getJsonObject(1);
    assertThat(off.getLong("failed")).isZero();
    assertThat(pool.getLong("failed")).isZero();
    double offP50 = off.getJsonObject("latency").getDouble("p50Ms");
    double poolP50 = pool.getJsonObject("latency").getDouble("p50Ms");
    assertThat(offP50).as("keep-alive off p50 against the pool's %s ms", poolP50).isGreaterThanOrEqualTo(poolP50 + RTT_MS);
    // Every call without keep-alive pays a handshake and its request: two round trips at least.
    assertThat(off.getDouble("callP50Ms")).isGreaterThanOrEqualTo(2 * RTT_MS);
    assertThat(pool.getDouble("callP50Ms")).isGreaterThanOrEqualTo(RTT_MS);
    assertThat(off.getDouble("setupShare")).isGreaterThan(pool.getDouble("setupShare"));
    // One request at a time, 100 calls over at most 10 connections: at least 10 exchanges in a row.
    assertThat(poolP50).isGreaterThanOrEqualTo(10 * RTT_MS);
    assertThat(offP50).isGreaterThanOrEqualTo(10 * 2 * RTT_MS);
    for (JsonObject run : new JsonObject[] {off, pool}) {
      JsonObject path = run.getJsonObject("path");
      assertThat(path.getString("rtt")).isEqualTo("20ms");
      // Every connection the gateway opened went through the link, one for one.
      assertThat(path.getLong("linkConnections"))
          .isEqualTo(run.getJsonObject("services").getJsonObject("gateway").getLong("connectionsOpened"));
    }

    assertThat(report.getString("rtt")).isEqualTo("20ms");
    assertThat(report.getString("description")).contains("latency link, RTT 20ms");
    assertThat(cli.out()).contains("Gateway to upstream: latency link, RTT 20ms", "call p50", "set-up share");
    assertThat(Files.readString(html)).contains("latency link, RTT 20ms");
  }
}
