package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * With --metrics-port, scrapes and health checks go to a port of their own: the upstream's connection counts
 * are then exactly the connections its clients (the gateways) opened, comparable with theirs.
 */
class ManagementPortTest {

  @Test
  void scrapesAndHealthChecksOnTheMetricsPortDoNotCountAsUpstreamConnections() throws Exception {
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)).await();
    try {
      int management = upstream.address().metricsPort();
      assertThat(management).isNotEqualTo(upstream.port());
      // What Docker's healthcheck and Prometheus do: one new connection per probe.
      for (int i = 0; i < 5; i++) {
        assertThat(get(management, "/health")).startsWith("HTTP/1.0 200").contains("\"status\":\"UP\"");
        assertThat(get(management, "/metrics")).startsWith("HTTP/1.0 200");
      }
      assertThat(accepted(management)).isEqualTo(0.0);

      assertThat(get(upstream.port(), "/item/1")).startsWith("HTTP/1.0 200");
      assertThat(accepted(management)).isEqualTo(1.0);
    } finally {
      upstream.close().await();
    }
  }

  private static double accepted(int port) throws IOException {
    return get(port, "/metrics").lines().filter(l -> l.startsWith("upstream_connections_accepted_total{protocol=\"tcp\"} "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
  }

  /** An HTTP/1.0 GET on a new connection, as bash's /dev/tcp healthcheck sends it. */
  private static String get(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
