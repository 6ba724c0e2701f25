package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Both services export valid Prometheus text with the project's metrics, Vert.x's and the JVM's. */
class PrometheusExportTest {

  static final List<String> GATEWAY_FAMILIES = List.of(
      "gateway_upstream_connections_opened_total", "gateway_upstream_connections_closed_total",
      "gateway_upstream_connections_active", "gateway_upstream_requests_total",
      "gateway_upstream_request_duration_seconds", "gateway_fanout_requests_total", "gateway_fanout_duration_seconds",
      "gateway_upstream_requests_per_connection");
  static final List<String> UPSTREAM_FAMILIES = List.of(
      "upstream_connections_accepted_total", "upstream_connections_active", "upstream_requests_total",
      "upstream_request_duration_seconds");

  @Test
  void scrapesPassPromtoolAndCarryEveryFamilyWithHelpAndBuckets() {
    // Default layout: /metrics on each service's own port.
    try (Stack stack = Stack.start(u -> u.withMetricsPort(-1), c -> c.withMetricsPort(-1))) {
      for (int i = 0; i < 3; i++) {
        assertThat(stack.fanout("").status()).isEqualTo(200);
      }
      stack.gateway.closeClient().await(); // so requests-per-connection has observations
      Scrape gw = Scrape.of(stack.gateway.baseUrl() + "/metrics");
      Scrape up = Scrape.of(stack.upstream.baseUrl() + "/metrics");

      assertThat(promtoolCheckMetrics(gw.text)).as("promtool on the gateway's scrape").isEmpty();
      assertThat(promtoolCheckMetrics(up.text)).as("promtool on the upstream's scrape").isEmpty();

      for (String family : GATEWAY_FAMILIES) {
        assertThat(gw.text).contains("# HELP " + family + " ");
      }
      for (String family : UPSTREAM_FAMILIES) {
        assertThat(up.text).contains("# HELP " + family + " ");
      }
      // Histograms publish buckets from sub-millisecond to seconds, for histogram_quantile.
      assertThat(gw.text).contains("gateway_upstream_request_duration_seconds_bucket{le=\"1.0E-4\"}")
          .contains("gateway_fanout_duration_seconds_bucket{le=\"10.0\"}")
          // Connection series are per endpoint (the replica), as Envoy's per-host statistics.
          .containsPattern("gateway_upstream_requests_per_connection_bucket\\{endpoint=\"127\\.0\\.0\\.1:\\d+\",le=\"100\\.0\"}");
      assertThat(up.text).contains("upstream_request_duration_seconds_bucket{le=\"0.001\"}");
      // Each upstream call is counted once, by the gateway: Vert.x's per-request client series are left out, its
      // pool series (the dashboard's pool-wait panels) stay.
      assertThat(gw.sum("gateway_upstream_request_duration_seconds_count")).isEqualTo(300);
      assertThat(gw.text).doesNotContain("vertx_http_client_");
      assertThat(gw.text).contains("vertx_pool_queue_pending{pool_name=\"127.0.0.1:")
          .contains("vertx_pool_queue_time_seconds_bucket{");
      assertThat(gw.sum("vertx_pool_queue_time_seconds_count", "pool_type=\"http\"")).isEqualTo(300);
      assertThat(up.text).contains("vertx_http_server_active_connections");
      assertThat(gw.text).contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads");
      assertThat(up.text).contains("jvm_memory_used_bytes");
    }
  }

  /** Runs {@code promtool check metrics} on a scrape and returns what it complained about. */
  static String promtoolCheckMetrics(String scrape) {
    try {
      Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(scrape.getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.getInputStream().transferTo(out);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool did not finish");
      }
      String text = out.toString(StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 ? text : "exit " + p.exitValue() + ": " + text;
    } catch (IOException e) {
      throw new AssertionError("promtool is missing: run the tests with scripts/test, which installs Debian's prometheus package", e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
