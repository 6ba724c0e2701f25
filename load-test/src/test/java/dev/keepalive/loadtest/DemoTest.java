package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
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

    assertThat(cli.out()).contains("Keep-alive demo: the same load through six upstream client configurations",
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

  /**
   * demo's own configurations, all six, a second each: HTTP/3 is the last row, beside HTTP/2, on one QUIC connection
   * through the same 20 ms link, counted once by the gateway and once by the upstream, its set-up round trips as the
   * link counted them (2 with Vert.x 5.1.6, no Retry), and no TCP connection through the link.
   */
  @Test
  @Tag("slow") // six stacks, about 13 s: PIT leaves it out (excludedGroups), the build runs it
  void demoRunsHttp3LastOnOneQuicConnectionCountedOnBothSides() throws Exception {
    Path json = dir.resolve("demo6.json");
    Cli cli = Cli.run("demo", "--duration", "1s", "--jit-warmup", "0",
        "--json", json.toString(), "--html", dir.resolve("demo6.html").toString());
    assertThat(cli.exit()).as(cli.err()).isZero();

    assertThat(cli.out()).contains("[4/6] h2: HTTP/2, 1 conn", "[6/6] h3: HTTP/3 (QUIC), 1 conn",
        "HTTP/3: TLS full/resumed count the TLS 1.3");
    JsonObject report = new JsonObject(Files.readString(json));
    JsonArray runs = report.getJsonArray("runs");
    assertThat(runs).hasSize(6);
    for (int i = 0; i < runs.size(); i++) {
      assertThat(runs.getJsonObject(i).getLong("failed")).as(runs.getJsonObject(i).encode()).isZero();
    }
    JsonObject h3 = runs.getJsonObject(5);
    JsonObject gateway = h3.getJsonObject("services").getJsonObject("gateway");
    assertThat(gateway.getLong("upstreamCalls")).isEqualTo(100 * h3.getLong("requests")).isPositive();
    assertThat(opened(h3)).as("one QUIC connection carries every call").isEqualTo(1);
    assertThat(h3.getJsonObject("services").getJsonObject("upstream").getLong("connectionsAccepted")).isEqualTo(1);
    assertThat(gateway.getLong("tlsFullHandshakes")).as("QUIC's TLS 1.3 handshake, full").isEqualTo(1);
    assertThat(gateway.getLong("tlsResumedHandshakes")).isZero();
    JsonObject path = h3.getJsonObject("path");
    assertThat(path.getString("rtt")).isEqualTo("20ms");
    assertThat(path.getLong("linkConnections")).as("no TCP connection through the link").isZero();
    assertThat(path.getJsonObject("setup").getString("protocol")).as("no Retry").isEqualTo("QUIC");
    assertThat(h3.getInteger("setupRoundTripsPerConnection")).as("Vert.x 5.1.6's client: 2, QUIC's own: 1").isEqualTo(2);
    assertThat(h3.getDouble("setupMs")).isEqualTo(2 * 20.0);
    // The rows side by side: HTTP/2 on one TCP connection, HTTP/3 on one QUIC connection.
    JsonArray rows = report.getJsonArray("rows");
    java.util.List<String> columns = report.getJsonArray("columns").getList();
    assertThat(rows.getJsonArray(3).getString(columns.indexOf("RTTs/conn"))).isEqualTo("1 TCP");
    assertThat(rows.getJsonArray(5).getString(0)).isEqualTo("HTTP/3 (QUIC), 1 conn");
    assertThat(rows.getJsonArray(5).getString(columns.indexOf("RTTs/conn"))).isEqualTo("2 QUIC");
    assertThat(rows.getJsonArray(5).getString(columns.indexOf("conns opened"))).isEqualTo("1");
    assertThat(opened(runs.getJsonObject(3))).isEqualTo(1);
  }

  private static long opened(JsonObject run) {
    return run.getJsonObject("services").getJsonObject("gateway").getLong("connectionsOpened");
  }
}
