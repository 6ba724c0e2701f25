package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.loadtest.LoadTestMain;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compose's {@code load} profile together with {@code wan}, on loopback: the upstream, both gateways and both load
 * generators with the flags docker-compose.yml gives them by default, and the latency link in place of netem with
 * the wan profile's NETEM_DELAY and NETEM_JITTER on every call (as with UPSTREAM_REPLICAS=1, the profile's advice).
 * Only the load's duration is shorter. No answer may be a 504 (issue 14: with the fixed limit of 64, most were).
 */
class ComposeLoadOverWanTest {
  static final Duration WINDOW = Duration.ofSeconds(30);

  @Test
  void bothGatewaysServeTheComposeLoadOverTheWanDelayWithout504s(@TempDir Path dir) throws Exception {
    ComposeFile compose = ComposeFile.load();
    Map<String, String> netem = compose.environment("upstream-netem");
    Duration delay = Duration.ofMillis(Long.parseLong(netem.get("NETEM_DELAY").replace("ms", "")));
    Duration jitter = Duration.ofMillis(Long.parseLong(netem.get("NETEM_JITTER").replace("ms", "")));

    UpstreamServer upstream = ComposeFileTest.await(UpstreamServer.start(ComposeFileTest.upstreamConfig(
        replaced(compose.command("upstream"), Map.of("--port", "0", "--metrics-port", "0"), "--host=127.0.0.1"))));
    Vertx linkVertx = Vertx.vertx();
    List<GatewayServer> gateways = new ArrayList<>();
    try {
      // netem delays every packet the upstream sends: one round trip of NETEM_DELAY per exchange, handshakes too.
      LatencyLink link = ComposeFileTest.await(LatencyLink.start(linkVertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
          new HostPort("127.0.0.1", upstream.port()), delay, jitter)));
      String health = upstream.metricsUrl().replaceFirst("/metrics$", "/health");
      List<CompletableFuture<JsonObject>> runs = new ArrayList<>();
      for (String name : List.of("keepalive", "no-keepalive")) {
        GatewayServer gateway = ComposeFileTest.await(GatewayServer.start(ComposeFileTest.gatewayConfig(replaced(
            compose.command("gateway-" + name), Map.of("--port", "0", "--upstream", "http://127.0.0.1:" + link.port(),
                "--upstream-health-url", health), "--host=127.0.0.1"))));
        gateways.add(gateway);
        Path json = dir.resolve(name + ".json");
        List<String> load = replaced(compose.command("load-" + name), Map.of("--target", gateway.baseUrl(),
            "--upstream-metrics", upstream.metricsUrl(), "--duration", WINDOW.toSeconds() + "s"), "--json=" + json);
        runs.add(CompletableFuture.supplyAsync(() -> run(name, load, json)));
      }
      for (CompletableFuture<JsonObject> r : runs) {
        JsonObject result = r.get();
        long requests = result.getLong("requests");
        String gateway = result.getString("target");
        assertThat(requests).as("requests sent to %s", gateway).isGreaterThanOrEqualTo(WINDOW.toSeconds() / 2);
        assertThat(result.getJsonObject("errors").encode()).as("failures at %s: no 504, no 503", gateway)
            .isEqualTo("{}");
        assertThat(result.getLong("succeeded")).isEqualTo(requests);
      }
    } finally {
      for (GatewayServer g : gateways) ComposeFileTest.await(g.close());
      ComposeFileTest.await(linkVertx.close());
      ComposeFileTest.await(upstream.close());
    }
  }

  /** The load-test command as the load service runs it; its JSON result. */
  private static JsonObject run(String name, List<String> args, Path json) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = LoadTestMain.execute(args.toArray(String[]::new), Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true));
    System.out.println("load-" + name + ": exit " + exit + "\n" + out + err);
    try {
      return new JsonObject(Files.readString(json)).getJsonArray("runs").getJsonObject(0);
    } catch (java.io.IOException e) {
      throw new AssertionError("load-" + name + " wrote no result (exit " + exit + "): " + err, e);
    }
  }

  /** A compose command with some flags' values replaced (each must be there) and flags added. */
  private static List<String> replaced(List<String> command, Map<String, String> values, String... added) {
    List<String> out = new ArrayList<>();
    for (String arg : command) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      out.add(values.containsKey(name) ? name + "=" + values.get(name) : arg);
    }
    values.keySet().forEach(name -> assertThat(command).as("compose gives %s", name).anyMatch(a -> a.startsWith(name + "=")));
    out.addAll(List.of(added));
    return out;
  }
}
