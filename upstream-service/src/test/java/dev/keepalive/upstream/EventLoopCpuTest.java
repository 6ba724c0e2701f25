package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** upstream_event_loop_cpu_seconds_total counts the CPU of the upstream's own event loops, which grows with work. */
class EventLoopCpuTest {

  private static double cpuSeconds(UpstreamServer server) {
    String prefix = "upstream_event_loop_cpu_seconds_total ";
    return server.registry().scrape().lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElseThrow();
  }

  @Test
  void servingRequestsCostsEventLoopCpu() throws Exception {
    UpstreamServer server = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)).await();
    try {
      double before = cpuSeconds(server);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 300; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/item/" + i)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      assertThat(cpuSeconds(server)).isGreaterThan(before);
    } finally {
      server.close().await();
    }
  }
}
