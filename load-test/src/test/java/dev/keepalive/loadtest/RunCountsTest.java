package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} against real services: its JSON agrees exactly with the services' own metrics. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCountsTest {

  @TempDir
  Path dir;

  @Test
  void keepAliveOffCountsMatchTheServicesMetricsExactly() throws Exception {
    Path json = dir.resolve("run.json");
    try (Services s = Services.start("1ms", g -> g.withClient(false, 10, false, false, 10))) {
      Cli cli = Cli.run("run", "--target", s.target(), "--upstream-metrics", s.upstreamMetrics(),
          "--concurrency", "3", "--duration", "2s", "--warmup", "0", "--calls", "5", "--json", json.toString());
      assertThat(cli.exit()).as(cli.err()).isZero();

      JsonObject r = new JsonObject(Files.readString(json)).getJsonArray("runs").getJsonObject(0);
      JsonObject gateway = r.getJsonObject("services").getJsonObject("gateway");
      JsonObject upstream = r.getJsonObject("services").getJsonObject("upstream");
      long requests = r.getLong("requests");
      assertThat(requests).isPositive();
      assertThat(r.getLong("failed")).isZero();
      assertThat(r.getJsonObject("errors")).isEmpty();
      // Fresh services and no warm-up: the whole of each counter belongs to the measured window.
      assertThat(gateway.getLong("requests")).isEqualTo(requests).isEqualTo(s.gatewayCounter("gateway.fanout.requests"));
      assertThat(gateway.getLong("upstreamCalls")).isEqualTo(5 * requests)
          .isEqualTo(s.gatewayCounter("gateway.upstream.requests"))
          .isEqualTo(s.upstreamCounter("upstream.requests"));
      assertThat(upstream.getLong("requests")).isEqualTo(5 * requests);
      assertThat(gateway.getLong("connectionsOpened")).isEqualTo(5 * requests)
          .isEqualTo(s.gatewayCounter("gateway.upstream.connections.opened"));
      // The upstream also accepted the driver's two scrapes of its /metrics, which the JSON leaves out.
      assertThat(upstream.getLong("connectionsAccepted")).isEqualTo(5 * requests)
          .isEqualTo(s.upstreamCounter("upstream.connections.accepted") - 2);
      assertThat(r.getDouble("handshakesPerRequest")).isEqualTo(5.0);
      assertThat(r.getDouble("requestsPerConnection")).isEqualTo(1.0);
      // The responses' own newConnections fields add up to the same total.
      var timeline = r.getJsonArray("timeline");
      assertThat(timeline.getJsonObject(timeline.size() - 1).getLong("totalNewConnections")).isEqualTo(5 * requests);
      assertThat(cli.out()).contains("Handshakes   5.00 per gateway request");
    }
  }

  @Test
  void afterAWarmupTheKeptAliveConnectionsCarryTheWindow() throws Exception {
    Path json = dir.resolve("run.json");
    try (Services s = Services.start("1ms", g -> g.withClient(true, 2, false, false, 10))) {
      Cli cli = Cli.run("run", "--target", s.target(), "--concurrency", "4", "--duration", "1s", "--warmup", "1s",
          "--calls", "5", "--json", json.toString());
      assertThat(cli.exit()).as(cli.err()).isZero();

      JsonObject r = new JsonObject(Files.readString(json)).getJsonArray("runs").getJsonObject(0);
      JsonObject gateway = r.getJsonObject("services").getJsonObject("gateway");
      long requests = r.getLong("requests");
      // Warm-up requests are in the services' counters but not in the window.
      assertThat(s.gatewayCounter("gateway.fanout.requests")).isGreaterThan(requests);
      assertThat(gateway.getLong("requests")).isEqualTo(requests);
      assertThat(gateway.getLong("upstreamCalls")).isEqualTo(5 * requests);
      assertThat(gateway.getLong("connectionsOpened")).isZero();
      assertThat(gateway.getLong("connectionsActiveAtStart")).isEqualTo(2);
      assertThat(r.getDouble("handshakesPerRequest")).isEqualTo(0.0);
      assertThat(r.getDouble("requestsPerConnection")).isEqualTo(5.0 * requests / 2);
      assertThat(r.getJsonObject("services").getValue("upstream")).as("no --upstream-metrics").isNull();
    }
  }

  /**
   * Over TLS: every connection's handshake counted on both sides alike, and the summary's TLS and CPU lines say what
   * the JSON says.
   */
  @Test
  void overTlsTheSummaryPrintsHandshakesPerRequestAndCpuPerCallBothSidesAgreeing() throws Exception {
    Path json = dir.resolve("tls.json");
    Path cert = dir.resolve("upstream.pem");
    dev.keepalive.upstream.UpstreamServer up = dev.keepalive.upstream.UpstreamServer.start(
        dev.keepalive.upstream.UpstreamConfig.defaults().withDelay(dev.keepalive.upstream.Delay.parse("1ms"))
            .withMetricsPort(0).withTls(dev.keepalive.upstream.TlsSettings.generated().withCertOut(cert)))
        .await(30, TimeUnit.SECONDS);
    dev.keepalive.gateway.GatewayConfig g = dev.keepalive.gateway.GatewayConfig.defaults(up.baseUrl())
        .withClient(false, 10, false, false, 10);
    g = g.withTls(g.tls().withTrust(cert));
    dev.keepalive.gateway.GatewayServer gw;
    try {
      gw = dev.keepalive.gateway.GatewayServer.start(g).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      up.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
    try (Services s = new Services(up, gw)) {
      // The upstream's /metrics is on its plain port of its own: the scrapes are no TLS handshakes.
      Cli cli = Cli.run("run", "--target", s.target(), "--upstream-metrics", up.metricsUrl(), "--concurrency", "2",
          "--duration", "2s", "--warmup", "0", "--calls", "5", "--json", json.toString());
      assertThat(cli.exit()).as(cli.err()).isZero();
      JsonObject r = new JsonObject(Files.readString(json)).getJsonArray("runs").getJsonObject(0);
      JsonObject gateway = r.getJsonObject("services").getJsonObject("gateway");
      JsonObject upstream = r.getJsonObject("services").getJsonObject("upstream");
      long requests = r.getLong("requests");
      assertThat(requests).isPositive();
      assertThat(r.getLong("failed")).isZero();
      long full = gateway.getLong("tlsFullHandshakes");
      long resumed = gateway.getLong("tlsResumedHandshakes");
      // Keep-alive off: one handshake per call, split alike on both sides.
      assertThat(full + resumed).isEqualTo(5 * requests).isEqualTo(gateway.getLong("connectionsOpened"));
      assertThat(upstream.getLong("tlsFullHandshakes")).as("full, upstream vs gateway").isEqualTo(full);
      assertThat(upstream.getLong("tlsResumedHandshakes")).as("resumed, upstream vs gateway").isEqualTo(resumed);
      assertThat(gateway.getDouble("cpuMicrosPerUpstreamCall")).isPositive();
      assertThat(upstream.getDouble("cpuMicrosPerCall")).isPositive();
      assertThat(cli.out()).contains("TLS          5.00 handshakes per gateway request: "
          + Summary.number((double) full / requests) + " full, " + Summary.number((double) resumed / requests) + " resumed");
      assertThat(cli.out()).contains("CPU          " + Summary.micros(gateway.getDouble("cpuMicrosPerUpstreamCall"))
          + " per upstream call in the gateway's event loops, " + Summary.micros(upstream.getDouble("cpuMicrosPerCall"))
          + " in the upstream's");
    }
  }
}
