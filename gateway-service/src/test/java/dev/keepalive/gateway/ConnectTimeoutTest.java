package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --connect-timeout: an upstream that never completes the handshake. On loopback that is a listening socket that
 * never accepts, its backlog full: Linux then drops further SYNs, so a connect neither succeeds nor is refused.
 */
class ConnectTimeoutTest {

  @Test
  void anUpstreamThatNeverAcceptsFailsEachCallAsConnectTimeoutAfterTheTimeout() throws Exception {
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      fillBacklog(neverAccepts, fillers);
      int port = neverAccepts.getLocalPort();
      GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults("http://127.0.0.1:" + port).withMetricsPort(0)
          .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(2))).await();
      try {
        Http.Answer answer = Http.get(gateway.baseUrl() + "/fanout?calls=3");
        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        JsonObject body = answer.json();
        assertThat(body.getString("error")).isEqualTo("upstream unreachable at http://127.0.0.1:" + port + ": connect_timeout");
        assertThat(body.getJsonObject("errors").fieldNames()).containsExactly("connect_timeout");
        assertThat(body.getJsonObject("errors").getJsonObject("connect_timeout").getInteger("count")).isEqualTo(3);
        // A lower bound only: the calls waited for the handshake as long as they were told to.
        assertThat(body.getDouble("durationMs")).isGreaterThanOrEqualTo(300.0);
        assertThat(Scrape.of(gateway.metricsUrl()).count("gateway_upstream_requests_total", "outcome=\"connect_timeout\""))
            .isEqualTo(3);
        JsonObject upstream = Http.get(gateway.baseUrl() + "/health").json().getJsonObject("upstream");
        assertThat(upstream.getString("state")).isEqualTo("DOWN");
        assertThat(upstream.getString("error")).startsWith("connect_timeout: ");
      } finally {
        gateway.close().await();
      }
    } finally {
      for (Socket s : fillers) s.close();
    }
  }

  /** Connects until a connect hangs: from then on the listener's accept queue is full. */
  static void fillBacklog(ServerSocket server, List<Socket> fillers) throws IOException {
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
        fillers.add(s);
      } catch (SocketTimeoutException full) {
        s.close();
        return;
      }
    }
    throw new AssertionError("the backlog of a listener that never accepts did not fill up");
  }
}
