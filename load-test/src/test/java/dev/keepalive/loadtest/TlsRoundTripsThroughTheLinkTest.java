package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsVersions;
import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.upstream.TlsSettings;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A TLS connection's round trips, through the latency link (RTT 50 ms, no jitter): a call on a new TLS 1.3
 * connection waits for TCP's handshake, TLS 1.3's one round trip and its own; on TLS 1.2 for one more (its
 * handshake takes two). A reused connection pays only the call's. Lower bounds only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsRoundTripsThroughTheLinkTest {
  static final Duration RTT = Duration.ofMillis(50);

  final HttpClient http = HttpClient.newHttpClient();
  final Vertx linkVertx = Vertx.vertx();
  UpstreamServer upstream;
  GatewayServer gateway;

  @TempDir
  Path dir;

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

  Answer fanout() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/fanout?calls=1"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), new JsonObject(r.body()), (System.nanoTime() - start) / 1_000_000);
  }

  @ParameterizedTest(name = "TLS {0}: a new connection''s first call takes at least {2} round trips")
  @CsvSource({"1.3, TLSv1.3, 3", "1.2, TLSv1.2, 4"})
  void aNewTlsConnectionsFirstCallPaysTcpTlsAndItsOwnRoundTrips(String versions, String negotiated, int roundTrips)
      throws Exception {
    Path cert = dir.resolve("upstream.pem");
    upstream = UpstreamServer.start(UpstreamConfig.defaults().withTls(TlsSettings.generated().withCertOut(cert)
        .withVersions(TlsVersions.parse(versions))).withMetricsPort(0)).await(30, TimeUnit.SECONDS);
    LatencyLink link = LatencyLink.start(linkVertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", upstream.port()), RTT, Duration.ZERO)).await(30, TimeUnit.SECONDS);
    GatewayConfig g = ClientConfig.parse("pool1-tls", 10, 100)
        .applyTo(GatewayConfig.defaults("https://127.0.0.1:" + link.port()));
    gateway = GatewayServer.start(g.withTls(g.tls().withTrust(cert))).await(30, TimeUnit.SECONDS);

    Answer first = fanout();
    Answer second = fanout();

    assertThat(first.status()).as(first.body().encode()).isEqualTo(200);
    assertThat(first.body().getJsonObject("tls").getString("version")).isEqualTo(negotiated);
    assertThat(first.body().getJsonObject("tls").getInteger("fullHandshakes")).isEqualTo(1);
    assertThat(first.millis()).as("TCP (1), TLS %s (%d), the call (1)", versions, roundTrips - 2)
        .isGreaterThanOrEqualTo(roundTrips * RTT.toMillis());
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().getInteger("newConnections")).isZero();
    assertThat(second.millis()).as("the call on the kept connection").isGreaterThanOrEqualTo(RTT.toMillis());
    assertThat(link.stats().opened()).isEqualTo(1);
  }
}
