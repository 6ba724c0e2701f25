package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real gateway and upstream with the latency link between them, RTT 50 ms: a handshake costs a
 * round trip, the connection counts stay exact on all three, and every client configuration works.
 * Latencies are lower bounds only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkBetweenGatewayAndUpstreamTest {
  static final Duration RTT = Duration.ofMillis(50);
  static final long RTT_MS = RTT.toMillis();

  final HttpClient http = HttpClient.newHttpClient();
  final Vertx linkVertx = Vertx.vertx();
  UpstreamServer upstream;
  LatencyLink link;
  GatewayServer gateway;

  void start(String clientConfig, UnaryOperator<GatewayConfig> more) throws Exception {
    upstream = UpstreamServer.start(UpstreamConfig.defaults().withDelay(Delay.parse("1ms"))).await(30, TimeUnit.SECONDS);
    link = LatencyLink.start(linkVertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", upstream.port()), RTT, Duration.ZERO)).await(30, TimeUnit.SECONDS);
    GatewayConfig g = ClientConfig.parse(clientConfig, 10, 100)
        .applyTo(GatewayConfig.defaults("http://127.0.0.1:" + link.port()));
    gateway = GatewayServer.start(more.apply(g)).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close().await(30, TimeUnit.SECONDS);
    }
    linkVertx.close().await(30, TimeUnit.SECONDS);
    if (upstream != null) {
      upstream.close().await(30, TimeUnit.SECONDS);
    }
  }

  record Answer(int status, JsonObject body, long millis) {}

  Answer fanout(int calls) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/fanout?calls=" + calls))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), new JsonObject(r.body()), (System.nanoTime() - start) / 1_000_000);
  }

  long gatewayOpened() {
    return Services.counter(gateway.registry(), "gateway.upstream.connections.opened");
  }

  long upstreamAccepted() {
    return Services.counter(upstream.registry(), "upstream.connections.accepted");
  }

  @Test
  void aCallOnANewConnectionPaysTwoRoundTripsAndOnAReusedOneOne() throws Exception {
    start("pool1", g -> g);

    Answer first = fanout(1);
    Answer second = fanout(1);

    assertThat(first.status()).as(first.body().encode()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(first.millis()).as("SYN/SYN-ACK, then request and response").isGreaterThanOrEqualTo(2 * RTT_MS);
    assertThat(second.millis()).as("request and response on the kept connection").isGreaterThanOrEqualTo(RTT_MS);
    assertThat(gatewayOpened()).isEqualTo(1);
    assertThat(link.stats().opened()).isEqualTo(1);
    assertThat(upstreamAccepted()).isEqualTo(1);
  }

  @Test
  void withoutKeepAliveEveryCallPaysTheHandshakeAndTheCountsMatchOnAllThree() throws Exception {
    start("off", g -> g);

    for (int i = 0; i < 3; i++) {
      Answer a = fanout(1);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.millis()).isGreaterThanOrEqualTo(2 * RTT_MS);
    }
    assertThat(gatewayOpened()).isEqualTo(3);
    assertThat(link.stats().opened()).isEqualTo(3);
    assertThat(upstreamAccepted()).isEqualTo(3);
    LatencyLinkAwait.until(() -> link.stats().active() == 0);
  }

  @ParameterizedTest
  @CsvSource({"pool3, 3", "pipelined, 1", "h2, 1"})
  void everyClientConfigurationWorksThroughTheLinkWithExactConnectionCounts(String config, long connections)
      throws Exception {
    start(config, g -> g);

    for (int i = 0; i < 2; i++) {
      Answer a = fanout(12);
      assertThat(a.status()).as(a.body().encode()).isEqualTo(200);
      assertThat(a.body().getInteger("succeeded")).isEqualTo(12);
    }
    assertThat(gatewayOpened()).isEqualTo(connections);
    assertThat(link.stats().opened()).isEqualTo(connections);
    assertThat(upstreamAccepted()).isEqualTo(connections);
  }

  @Test
  void theUpstreamKilledBehindTheLinkFailsCallsWithAClearKindAndTheLinkHoldsNothing() throws Exception {
    start("pool10", g -> g.with(b -> {
      b.requestTimeout = Duration.ofSeconds(2);
      b.fanoutTimeout = Duration.ofSeconds(5);
    }));
    assertThat(fanout(5).status()).isEqualTo(200);

    upstream.close().await(30, TimeUnit.SECONDS);
    upstream = null;
    Answer down = fanout(5);

    assertThat(down.status()).as(down.body().encode()).isEqualTo(502);
    assertThat(down.body().getJsonObject("errors").fieldNames()).isNotEmpty()
        .allMatch(kind -> kind.equals("connection_closed") || kind.equals("connection_reset"), "a closed connection");
    assertThat(down.millis()).isLessThan(Duration.ofSeconds(30).toMillis());
    LatencyLinkAwait.until(() -> link.stats().active() == 0);
    assertThat(link.stats().refused()).isPositive();
  }
}
