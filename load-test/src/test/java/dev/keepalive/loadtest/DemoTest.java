package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo}, the README's main command, shortened to two configurations and a second each: its own defaults
 * (100 calls per request, one user, a 2 ms upstream behind a 20 ms round trip) give exact connection counts on any
 * machine.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoTest {

  @TempDir
  Path dir;

  @Test
  void demoComparesKeepAliveOffWithAPoolOfTenAtExactConnectionCounts() throws Exception {
    Path json = dir.resolve("demo.json");
    Path html = dir.resolve("demo.html");
    Cli cli = Cli.run("demo", "--duration", "1s", "--jit-warmup", "0", "--configs", "off,pool10",
        "--json", json.toString(), "--html", html.toString());
    assertThat(cli.exit()).as(cli.err()).isZero();

    assertThat(cli.out()).contains("Keep-alive demo: the same load through five upstream client configurations",
        "upstream service time 2ms", "[1/2] off: keep-alive off (≤10 conns)", "[2/2] pool10: keep-alive, 10 conns",
        "HTML report: " + html);
    assertThat(cli.out()).as("no run spoke TLS: the printed table has no TLS columns").contains("set-up share")
        .doesNotContain("TLS full/req");
    JsonObject report = new JsonObject(Files.readString(json));
    assertThat(report.getString("jitWarmup")).isEqualTo("0");
    assertThat(report.getString("rtt")).as("demo's default round trip").isEqualTo("20ms");
    assertThat(report.getJsonObject("upstream").getString("delay")).isEqualTo("2ms");
    JsonArray runs = report.getJsonArray("runs");
    assertThat(runs).hasSize(2);
    for (int i = 0; i < runs.size(); i++) {
      JsonObject r = runs.getJsonObject(i);
      assertThat(r.getLong("failed")).as(r.encode()).isZero();
      JsonObject gateway = r.getJsonObject("services").getJsonObject("gateway");
      assertThat(gateway.getLong("requests")).isEqualTo(r.getLong("requests")).isPositive();
      // demo's default fan-out: 100 upstream calls per request.
      assertThat(gateway.getLong("upstreamCalls")).isEqualTo(100 * r.getLong("requests"));
      // The upstream's own count of handshakes agrees with the gateway's.
      assertThat(r.getJsonObject("services").getJsonObject("upstream").getLong("connectionsAccepted"))
          .isEqualTo(gateway.getLong("connectionsOpened"));
    }
    JsonObject off = runs.getJsonObject(0);
    assertThat(opened(off)).isEqualTo(100 * off.getLong("requests"));
    assertThat(off.getDouble("handshakesPerRequest")).isEqualTo(100.0);
    // 100 calls per request: the pool's 10 connections all open at the first request, and no more.
    assertThat(opened(runs.getJsonObject(1))).isEqualTo(10);
    assertThat(html).exists();
  }

  private static long opened(JsonObject run) {
    return run.getJsonObject("services").getJsonObject("gateway").getLong("connectionsOpened");
  }
}
