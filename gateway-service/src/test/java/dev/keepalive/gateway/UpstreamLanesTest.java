package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With several event loops (--instances), each owns a lane: its share of the pool. The total stays
 * --pool-size, and a fan-out's calls use only the connections of the loop that received it.
 */
class UpstreamLanesTest {

  @Test
  void thePoolIsSplitBetweenInstancesAndItsTotalBoundHolds() throws IOException {
    try (Stack stack = Stack.start(u -> u, c -> c.withClient(true, 10, false, false, 10).withInstances(2))) {
      List<JsonObject> answers = new ArrayList<>();
      // A new TCP connection per fan-out: the server hands connections to its instances in turn.
      for (int i = 0; i < 4; i++) {
        answers.add(fanoutOnFreshConnection(stack.gateway.port()));
      }
      for (JsonObject a : answers) {
        assertThat(a.getInteger("succeeded")).as(a.encode()).isEqualTo(100);
        assertThat(a.getInteger("connectionsUsed")).as("a lane of 10 / 2: %s", a).isEqualTo(5);
        assertThat(a.getInteger("newConnections")).as(a.encode()).isIn(0, 5);
        assertThat(a.getJsonObject("client").getInteger("poolSize")).isEqualTo(10);
        assertThat(a.getJsonObject("client").getInteger("lanes")).isEqualTo(2);
      }
      assertThat(answers.stream().mapToInt(a -> a.getInteger("newConnections")).sum()).isEqualTo(10);
      assertThat(stack.gatewayMetrics().count("gateway_upstream_connections_opened_total")).isEqualTo(10);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(10);
    }
  }

  @Test
  void fewerConnectionsThanInstancesShareOneLane() throws IOException {
    try (Stack stack = Stack.start(u -> u, c -> c.withClient(true, 1, true, false, 10).withInstances(2))) {
      for (int i = 0; i < 4; i++) {
        JsonObject a = fanoutOnFreshConnection(stack.gateway.port());
        assertThat(a.getInteger("succeeded")).as(a.encode()).isEqualTo(100);
        assertThat(a.getInteger("newConnections")).as(a.encode()).isEqualTo(i == 0 ? 1 : 0);
        assertThat(a.getJsonObject("client").getInteger("lanes")).isEqualTo(1);
      }
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isEqualTo(1);
    }
  }

  @Test
  void eachLaneTakesItsShareOfThePoolAndTheWaitQueue() {
    GatewayConfig config = GatewayConfig.defaults("http://127.0.0.1:1").with(b -> {
      b.poolSize = 10;
      b.maxWaitQueue = 100;
    });
    assertThat(List.of(0, 1, 2).stream().map(l -> UpstreamLanes.laneConfig(config, l, 3).poolSize()))
        .containsExactly(4, 3, 3);
    assertThat(List.of(0, 1, 2).stream().map(l -> UpstreamLanes.laneConfig(config, l, 3).maxWaitQueue()))
        .containsExactly(34, 33, 33);
    assertThat(UpstreamLanes.laneConfig(config.with(b -> b.maxWaitQueue = -1), 1, 3).maxWaitQueue()).isEqualTo(-1);
    // No waiting at all stays no waiting in every lane (not -1, unbounded).
    assertThat(List.of(0, 1, 2).stream().map(l -> UpstreamLanes.laneConfig(config.with(b -> b.maxWaitQueue = 0), l, 3)
        .maxWaitQueue())).containsExactly(0, 0, 0);
  }

  /** GET /fanout with Connection: close on a socket of its own; the JSON body. */
  private static JsonObject fanoutOnFreshConnection(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /fanout HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200");
      return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }
}
