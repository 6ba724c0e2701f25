package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsVersions;
import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.TlsSettings;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new connection costs through the latency link at RTT 50 ms, the link carrying UDP as well as TCP: over QUIC
 * one round trip for transport and TLS together, then one for the request; over TCP + TLS 1.3 one for TCP, one for
 * TLS, then one for the request. Lower bounds only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http3ThroughTheLinkTest {
  static final long RTT_MS = 50;

  @TempDir
  Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final Vertx linkVertx = Vertx.vertx();
  UpstreamServer upstream;
  LatencyLink link;
  GatewayServer gateway;

  void start(UnaryOperator<GatewayConfig> client) throws Exception {
    Path cert = dir.resolve("upstream.pem");
    upstream = UpstreamServer.start(UpstreamConfig.defaults().withDelay(Delay.parse("1ms"))
        .withTls(TlsSettings.generated().withCertOut(cert).withVersions(TlsVersions.parse("1.3"))).withHttp3())
        .await(30, TimeUnit.SECONDS);
    link = LatencyLink.start(linkVertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", upstream.port()), Duration.ofMillis(RTT_MS), Duration.ZERO)).await(30, TimeUnit.SECONDS);
    GatewayConfig g = GatewayConfig.defaults("https://127.0.0.1:" + link.port());
    g = client.apply(g.withTls(g.tls().withTrust(cert)).with(b -> {
      b.poolSize = 1;
      // A cold JVM's first QUIC handshake loads quiche and BoringSSL: seconds on a busy 2-core machine.
      b.connectTimeout = Duration.ofSeconds(20);
      b.requestTimeout = Duration.ofSeconds(20);
      b.fanoutTimeout = Duration.ofSeconds(60);
      // Idle connections close after 1 s, so a test can open a new connection on a warm JVM.
      b.keepAliveTimeout = Duration.ofSeconds(1);
    }));
    gateway = GatewayServer.start(g).await(30, TimeUnit.SECONDS);
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
        .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), new JsonObject(r.body()), (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * A call on a new connection on a warm JVM: the first call (cold: it loads TLS and QUIC code, seconds here) opens a
   * connection, the keep-alive timeout closes it, and the next call opens a new one.
   */
  Answer newConnectionWarm() throws Exception {
    assertThat(fanout(1).status()).isEqualTo(200);
    LatencyLinkAwait.until(() -> Services.counter(gateway.registry(), "gateway.upstream.connections.closed") == 1);
    return fanout(1);
  }

  @Test
  void aCallOnANewQuicConnectionPaysTwoRoundTripsAndOnAReusedOneOne() throws Exception {
    start(GatewayConfig::withHttp3);

    Answer first = newConnectionWarm();
    Answer second = fanout(1);
    System.out.printf("RTT %d ms, HTTP/3: a call on a new QUIC connection %d ms, on the kept one %d ms%n", RTT_MS,
        first.millis(), second.millis());

    assertThat(first.status()).as(first.body().encode()).isEqualTo(200);
    assertThat(first.body().getInteger("newConnections")).isEqualTo(1);
    assertThat(first.millis()).as("QUIC handshake (transport and TLS 1.3), then request and response")
        .isGreaterThanOrEqualTo(2 * RTT_MS);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.millis()).as("request and response on the kept connection").isGreaterThanOrEqualTo(RTT_MS);
    assertThat(Services.counter(gateway.registry(), "gateway.upstream.connections.opened")).isEqualTo(2);
    assertThat(Services.counter(upstream.registry(), "upstream.connections.accepted")).isEqualTo(2);
    // Over UDP: the link carried no TCP connection.
    assertThat(link.stats().opened()).isZero();
    assertThat(link.stats().bytesUp()).isPositive();
    // Both handshakes seen at the link, and no Retry: Vert.x's default address validation would send one per new
    // connection (a round trip more, as many as TCP + TLS 1.3).
    assertThat(link.quicInitials()).as("client Initial datagrams").isGreaterThanOrEqualTo(2);
    assertThat(link.quicRetries()).as("QUIC Retry packets from the upstream").isZero();
    // Round trips before each client's first 1-RTT datagram: 2 per handshake with Vert.x 5.1.6 (QUIC allows 1; its
    // client waits for the server's first 1-RTT datagram), 3 with a Retry.
    System.out.printf("QUIC handshakes %d, round trips before the first 1-RTT datagram %d%n", link.quicHandshakes(),
        link.quicHandshakeRoundTrips());
    assertThat(link.quicHandshakes()).isEqualTo(2);
    assertThat(link.quicHandshakeRoundTrips()).isEqualTo(4);
    // Both TLS 1.3 handshakes inside QUIC's were full: the second connection, from the same client, did not resume
    // (the gateway's trust manager checked the upstream's chain twice). Vert.x 5.1.6's QUIC does not resume.
    assertThat(gateway.registry().get("gateway.upstream.tls.handshakes").tag("resumed", "false").counter().count())
        .isEqualTo(2.0);
    assertThat(gateway.registry().get("gateway.upstream.tls.handshakes").tag("resumed", "true").counter().count())
        .isZero();
  }

  @Test
  void aCallOnANewTcpAndTls13ConnectionPaysThreeRoundTrips() throws Exception {
    start(g -> g);

    Answer first = newConnectionWarm();
    System.out.printf("RTT %d ms, TCP + TLS 1.3: a call on a new connection %d ms%n", RTT_MS, first.millis());

    assertThat(first.status()).as(first.body().encode()).isEqualTo(200);
    assertThat(first.body().getInteger("newConnections")).isEqualTo(1);
    assertThat(first.millis()).as("TCP handshake, TLS 1.3 handshake, then request and response")
        .isGreaterThanOrEqualTo(3 * RTT_MS);
    assertThat(link.stats().opened()).isEqualTo(2);
  }
}
