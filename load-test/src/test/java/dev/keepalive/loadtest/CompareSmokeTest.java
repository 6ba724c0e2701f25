package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** compare with a tiny load: the connection counts are exact, whatever the machine's speed. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CompareSmokeTest {

  @TempDir
  Path dir;

  @Test
  void eachConfigurationOpensExactlyTheConnectionsItShould() throws Exception {
    Path json = dir.resolve("compare.json");
    Path html = dir.resolve("compare.html");
    Cli cli = Cli.run("compare", "--configs", "off,pool3,pool1,h2,pipelined", "--concurrency", "2", "--duration", "1s",
        "--calls", "6", "--delay", "1ms", "--jit-warmup", "0", "--json", json.toString(), "--html", html.toString());
    assertThat(cli.exit()).as(cli.err()).isZero();

    JsonObject report = new JsonObject(Files.readString(json));
    JsonArray runs = report.getJsonArray("runs");
    assertThat(runs).hasSize(5);
    for (int i = 0; i < runs.size(); i++) {
      JsonObject r = runs.getJsonObject(i);
      assertThat(r.getLong("failed")).as(r.getString("name")).isZero();
      JsonObject g = r.getJsonObject("services").getJsonObject("gateway");
      assertThat(g.getLong("requests")).isEqualTo(r.getLong("requests")).isPositive();
      assertThat(g.getLong("upstreamCalls")).isEqualTo(6 * r.getLong("requests"));
      assertThat(r.getJsonObject("services").getJsonObject("upstream").getLong("connectionsAccepted"))
          .isEqualTo(g.getLong("connectionsOpened"));
    }
    JsonObject off = runs.getJsonObject(0);
    assertThat(gatewayOpened(off)).isEqualTo(6 * off.getLong("requests"));
    assertThat(off.getDouble("handshakesPerRequest")).isEqualTo(6.0);
    assertThat(off.getDouble("requestsPerConnection")).isEqualTo(1.0);
    // 2 requests of 6 calls in flight: all 3 connections of the pool open at the first request.
    assertThat(gatewayOpened(runs.getJsonObject(1))).isEqualTo(3);
    assertThat(gatewayOpened(runs.getJsonObject(2))).isEqualTo(1);
    assertThat(gatewayOpened(runs.getJsonObject(3))).isEqualTo(1);
    assertThat(gatewayOpened(runs.getJsonObject(4))).isEqualTo(1);

    // Each configuration's line as its run ends: its counts, and the connections it opened.
    assertThat(cli.out()).containsPattern("\n  [\\d,]+ requests, [\\d,.]+ req/s, p99 [\\d.]+ ms, 3 connections opened\n")
        .containsPattern("\n  [\\d,]+ requests, [\\d,.]+ req/s, p99 [\\d.]+ ms, 1 connection opened\n");
    assertThat(cli.out()).contains("keep-alive off (≤10 conns)", "keep-alive, 3 conns", "keep-alive, 1 conn",
        "HTTP/2, 1 conn", "pipelined ×100, 1 conn", "speedup", "1.00x", "HTML report: " + html);
    assertThat(html).exists();
    assertThat(report.getJsonArray("rows")).hasSize(5);
  }

  @Test
  void tlsConfigurationsCountAHandshakeForEveryConnectionAndShowTheirColumns() throws Exception {
    Path json = dir.resolve("tls.json");
    Cli cli = Cli.run("compare", "--configs", "off-tls,pool2-tls", "--concurrency", "1", "--duration", "1s",
        "--calls", "4", "--delay", "1ms", "--jit-warmup", "0", "--json", json.toString(),
        "--html", dir.resolve("tls.html").toString());
    assertThat(cli.exit()).as(cli.err()).isZero();
    JsonArray runs = new JsonObject(Files.readString(json)).getJsonArray("runs");
    for (int i = 0; i < runs.size(); i++) {
      JsonObject r = runs.getJsonObject(i);
      assertThat(r.getLong("failed")).as(r.getString("name")).isZero();
      JsonObject g = r.getJsonObject("services").getJsonObject("gateway");
      assertThat(g.getLong("tlsFullHandshakes") + g.getLong("tlsResumedHandshakes")).as("one handshake per connection")
          .isEqualTo(g.getLong("connectionsOpened")).isPositive();
      // The upstream counted the same handshakes, split alike; both services' CPU per call is measured.
      JsonObject u = r.getJsonObject("services").getJsonObject("upstream");
      assertThat(u.getLong("tlsFullHandshakes")).as("full, upstream vs gateway").isEqualTo(g.getLong("tlsFullHandshakes"));
      assertThat(u.getLong("tlsResumedHandshakes")).as("resumed, upstream vs gateway")
          .isEqualTo(g.getLong("tlsResumedHandshakes"));
      assertThat(g.getDouble("cpuMicrosPerUpstreamCall")).isPositive();
      assertThat(u.getDouble("cpuMicrosPerCall")).isPositive();
    }
    JsonObject report = new JsonObject(Files.readString(json));
    List<String> columns = report.getJsonArray("columns").getList();
    for (Object row : report.getJsonArray("rows")) {
      JsonArray cells = (JsonArray) row;
      assertThat(cells.getString(columns.indexOf("gw CPU/call"))).as(cells.encode()).endsWith(" µs");
      assertThat(cells.getString(columns.indexOf("up CPU/call"))).as(cells.encode()).endsWith(" µs");
    }
    JsonObject off = runs.getJsonObject(0);
    assertThat(gatewayOpened(off)).isEqualTo(4 * off.getLong("requests"));
    assertThat(gatewayOpened(runs.getJsonObject(1))).isEqualTo(2);
    assertThat(cli.out()).as("runs that spoke TLS: the table shows its columns").contains("TLS full/req", "TLS resumed/req");
  }

  @Test
  void theTlsEngineAndVersionsReachBothServicesAndNoResumeMeansEveryHandshakeFull() throws Exception {
    Path json = dir.resolve("jdk12.json");
    Cli cli = Cli.run("compare", "--configs", "off-tls-noresume", "--tls-engine", "jdk", "--tls-versions", "1.2",
        "--concurrency", "1", "--duration", "1s", "--calls", "4", "--delay", "1ms", "--jit-warmup", "0",
        "--json", json.toString(), "--html", dir.resolve("jdk12.html").toString());
    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("; TLS 1.2 jdk;");
    JsonObject run = new JsonObject(Files.readString(json)).getJsonArray("runs").getJsonObject(0);
    assertThat(run.getLong("failed")).isZero();
    JsonObject g = run.getJsonObject("services").getJsonObject("gateway");
    assertThat(g.getLong("tlsFullHandshakes")).as("the upstream resumes nothing").isEqualTo(gatewayOpened(run))
        .isEqualTo(4 * run.getLong("requests"));
    assertThat(g.getLong("tlsResumedHandshakes")).isZero();
    // Only TLS 1.2 allowed: a new connection waits for TCP's round trip and TLS 1.2's two (one when resumed).
    assertThat(run.getInteger("setupRoundTripsPerConnection")).isEqualTo(3);
    assertThat(run.getJsonObject("path").getJsonObject("setup").getString("protocol")).isEqualTo("TCP+TLS1.2");
    assertThat(run.getJsonObject("path").getJsonObject("setup").getInteger("resumedRoundTrips")).isEqualTo(2);
    JsonObject report = new JsonObject(Files.readString(json));
    List<String> columns = report.getJsonArray("columns").getList();
    assertThat(report.getJsonArray("rows").getJsonArray(0).getString(columns.indexOf("RTTs/conn")))
        .isEqualTo("3 TCP+TLS1.2 (2 resumed)");

    Cli bad = Cli.run("compare", "--tls-versions", "1.1");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--tls-versions");
  }

  @Test
  void theTransportFlagReachesBothServicesAndIsNamed() throws Exception {
    boolean linux = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
    String transport = linux ? "epoll" : "nio";
    // With a short JIT warm-up, which runs on a throwaway stack: the measured run still starts cold.
    Cli cli = Cli.run("compare", "--configs", "pool2", "--transport", transport, "--concurrency", "1", "--duration", "1s",
        "--calls", "4", "--delay", "1ms", "--jit-warmup", "300ms", "--json", dir.resolve("t.json").toString(),
        "--html", dir.resolve("t.html").toString());
    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("; transport " + transport + "\n")
        .contains("JIT warm-up: 300ms per configuration on throwaway services (not reported)\n");
    JsonObject run = new JsonObject(Files.readString(dir.resolve("t.json"))).getJsonArray("runs").getJsonObject(0);
    assertThat(run.getLong("failed")).isZero();
    assertThat(gatewayOpened(run)).as("the warm-up's connections were on its own stack").isEqualTo(2);

    Cli unavailable = Cli.run("compare", "--configs", "pool2", "--transport", linux ? "kqueue" : "epoll", "--concurrency",
        "1", "--duration", "1s", "--calls", "4", "--jit-warmup", "0", "--json", dir.resolve("u.json").toString(),
        "--html", dir.resolve("u.html").toString());
    assertThat(unavailable.exit()).as(unavailable.err()).isZero();
    assertThat(unavailable.out()).contains("; transport nio (" + (linux ? "kqueue" : "epoll") + " is not available here)");

    Cli bad = Cli.run("compare", "--transport", "carrier-pigeon");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--transport").contains("carrier-pigeon");
  }

  @Test
  void http3ThroughTheLinkOpensOneQuicConnectionCountedOnBothSidesAndPaysOneRoundTripForIt() throws Exception {
    Path json = dir.resolve("h3.json");
    Cli cli = Cli.run("compare", "--configs", "pool1-tls,h3", "--rtt", "20ms", "--concurrency", "2", "--duration", "1s",
        "--calls", "6", "--delay", "1ms", "--jit-warmup", "0", "--json", json.toString(),
        "--html", dir.resolve("h3.html").toString());
    assertThat(cli.exit()).as(cli.err()).isZero();

    JsonObject report = new JsonObject(Files.readString(json));
    JsonObject tls = report.getJsonArray("runs").getJsonObject(0);
    JsonObject run = report.getJsonArray("runs").getJsonObject(1);
    assertThat(run.getLong("failed")).isZero();
    assertThat(gatewayOpened(run)).isEqualTo(1);
    assertThat(run.getJsonObject("services").getJsonObject("upstream").getLong("connectionsAccepted")).isEqualTo(1);
    assertThat(cli.out()).contains("HTTP/3 (QUIC), 1 conn");

    // What each protocol paid to set up its connection. QUIC's, measured on the link: no Retry (with Vert.x's default
    // address validation "QUIC+Retry", one round trip more), and 2 round trips before the client's first 1-RTT
    // datagram, not QUIC's 1: Vert.x 5.1.6's client waits for the server's first 1-RTT datagram (docs/http3.md).
    // TCP + TLS 1.3 two (plus the loopback TCP connect), the protocols' own figure.
    assertThat(run.getJsonObject("path").getJsonObject("setup").getString("protocol")).isEqualTo("QUIC");
    assertThat(run.getInteger("setupRoundTripsPerConnection")).isEqualTo(2);
    assertThat(run.getDouble("setupMs")).isEqualTo(2 * 20.0 * gatewayOpened(run));
    assertThat(run.getString("setupBasis")).isEqualTo("predicted");
    assertThat(tls.getLong("failed")).isZero();
    assertThat(tls.getInteger("setupRoundTripsPerConnection")).isEqualTo(2);
    assertThat(tls.getDouble("setupMs")).isGreaterThanOrEqualTo(2 * 20.0 * gatewayOpened(tls)).isPositive();
    List<String> columns = report.getJsonArray("columns").getList();
    JsonArray h3Row = report.getJsonArray("rows").getJsonArray(1);
    JsonArray tlsRow = report.getJsonArray("rows").getJsonArray(0);
    assertThat(h3Row.getString(columns.indexOf("RTTs/conn"))).isEqualTo("2 QUIC");
    assertThat(tlsRow.getString(columns.indexOf("RTTs/conn"))).isEqualTo("2 TCP+TLS1.3");
    assertThat(h3Row.getString(columns.indexOf("set-up (predicted)"))).isEqualTo("40.00 ms");
    // QUIC's one handshake carried a full TLS 1.3 handshake, told by the gateway's trust manager.
    JsonObject h3Gateway = run.getJsonObject("services").getJsonObject("gateway");
    assertThat(h3Gateway.getLong("tlsFullHandshakes")).isEqualTo(1);
    assertThat(h3Gateway.getLong("tlsResumedHandshakes")).isZero();
    assertThat(h3Row.getString(columns.indexOf("TLS full/req"))).isNotEqualTo("n/a");
    assertThat(cli.out()).contains("RTTs/conn", "set-up (predicted)", "HTTP/3: TLS full/resumed count the TLS 1.3");
  }

  @Test
  void lossOnTheLinkIsNamedAndCarriedIntoTheReport() throws Exception {
    Path json = dir.resolve("loss.json");
    Cli cli = Cli.run("compare", "--configs", "h2-tls", "--rtt", "20ms", "--loss", "50%", "--concurrency", "1",
        "--duration", "1s", "--calls", "4", "--delay", "1ms", "--jit-warmup", "0", "--json", json.toString(),
        "--html", dir.resolve("loss.html").toString());
    assertThat(cli.exit()).as(cli.err()).isZero();
    JsonObject report = new JsonObject(Files.readString(json));
    assertThat(report.getString("description")).contains("latency link, RTT 20ms, loss 50%");
    assertThat(report.getDouble("loss")).isEqualTo(0.5);
    JsonObject run = report.getJsonArray("runs").getJsonObject(0);
    // Over TCP a lost segment is late, never lost: every call still succeeds.
    assertThat(run.getLong("failed")).isZero();
    assertThat(run.getJsonObject("path").getDouble("loss")).isEqualTo(0.5);
  }

  private static long gatewayOpened(JsonObject run) {
    return run.getJsonObject("services").getJsonObject("gateway").getLong("connectionsOpened");
  }
}
