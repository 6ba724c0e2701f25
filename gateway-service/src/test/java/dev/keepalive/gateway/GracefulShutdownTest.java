package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM: the gateway stops accepting, finishes the fan-outs in progress, closes its pool and exits. */
class GracefulShutdownTest {

  @Test
  void sigtermFinishesFanOutsInProgressThenExits() throws Exception {
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults().withDelay(Delay.parse("1500ms"))
        .withMetricsPort(0)).await();
    try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx128m"), "--port", "0", "--host", "127.0.0.1",
        "--upstream", upstream.baseUrl(), "--instances", "1", "--shutdown-grace", "10s", "--fanout-timeout", "10s",
        "--request-timeout", "5s", "--pool-size", "20")) {
      CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/fanout?calls=20")).build(),
          HttpResponse.BodyHandlers.ofString());
      // The fan-out's calls are being served when the signal arrives.
      Stack.await("calls to reach the upstream", Duration.ofSeconds(20), () ->
          Scrape.of(upstream.metricsUrl()).count("vertx_http_server_active_requests") >= 20);
      gateway.process.destroy(); // SIGTERM

      Stack.await("the gateway to stop accepting", Duration.ofSeconds(10), () -> refuses(gateway.port()));
      HttpResponse<String> answer = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(answer.body()).getInteger("succeeded")).isEqualTo(20);
      assertThat(gateway.process.waitFor(20, TimeUnit.SECONDS)).as("exited within the grace period").isTrue();
      Stack.await("the shutdown to be logged", Duration.ofSeconds(5), () -> gateway.output().contains("stopped"));
      assertThat(gateway.output()).contains("shutting down: finishing fan-outs in progress (grace 10s)");
      // The pool was closed: the upstream sees no connection left open.
      Stack.await("upstream connections to close", Duration.ofSeconds(10), () ->
          Scrape.of(upstream.metricsUrl()).count("upstream_connections_active") == 0);
    } finally {
      upstream.close().await();
    }
  }

  static boolean refuses(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return true;
    }
  }
}
