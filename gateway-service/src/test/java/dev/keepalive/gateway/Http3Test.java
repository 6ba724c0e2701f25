package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.TlsSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's --http3 against the upstream's --tls --http3: QUIC connections counted like TCP ones, on both sides
 * and in the answers, and a clear failure when the upstream has no HTTP/3.
 */
class Http3Test {
  @TempDir
  Path dir;

  private Stack h3Stack(boolean upstreamHttp3, UnaryOperator<GatewayConfig> gateway) {
    Path cert = dir.resolve("upstream.pem");
    return Stack.start(
        u -> {
          // Two instances sharing the UDP port, as the command line runs them. A fan-out that once waited over 30 s
          // here was not caused by them: Vert.x 5.1.6's HTTP/3 loses a response's end about once in 4,000 calls,
          // whatever the instances, and the gateway now re-sends such a call (docs/http3.md).
          var tls = u.withTls(TlsSettings.generated().withCertOut(cert)).withInstances(2);
          return upstreamHttp3 ? tls.withHttp3() : tls;
        },
        g -> gateway.apply(g.withTls(g.tls().withTrust(cert)).withHttp3().with(b -> {
          // A cold JVM's first QUIC handshake loads quiche and BoringSSL: seconds on a busy 2-core machine.
          b.connectTimeout = Duration.ofSeconds(20);
          b.fanoutTimeout = Duration.ofSeconds(25); // answers (504) before the test's HTTP client gives up at 30 s
          b.requestTimeout = Duration.ofSeconds(30);
        })));
  }

  @Test
  void poolOfOneTenFanOutsOfHundredOpenExactlyOneQuicConnectionCountedOnBothSides() {
    try (Stack stack = h3Stack(true, g -> g.with(b -> b.poolSize = 1))) {
      for (int i = 0; i < 10; i++) {
        Http.Answer answer = stack.fanout("");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonObject a = answer.json();
        assertThat(a.getInteger("succeeded")).isEqualTo(100);
        assertThat(a.getInteger("newConnections")).as(a.encode()).isEqualTo(i == 0 ? 1 : 0);
        assertThat(a.getJsonObject("client").getString("protocol")).isEqualTo("HTTP/3");
      }
      Scrape gw = stack.gatewayMetrics();
      Scrape up = stack.upstreamMetrics();
      assertThat(gw.count("gateway_upstream_connections_opened_total", "protocol=\"quic\"")).isEqualTo(1);
      assertThat(gw.count("gateway_upstream_connections_opened_total", "protocol=\"tcp\"")).isZero();
      assertThat(up.count("upstream_connections_accepted_total", "protocol=\"quic\"")).isEqualTo(1);
      assertThat(up.count("upstream_connections_accepted_total", "protocol=\"tcp\"")).isZero();
      assertThat(gw.count("gateway_upstream_requests_total", "outcome=\"success\"")).isEqualTo(1000);
      // The QUIC connection's TLS 1.3 handshake, told full by the gateway's trust manager (it checked the chain). The
      // upstream counts none: Vert.x hides the QUIC engine, and BoringSSL asks for the key before deciding to resume.
      assertThat(gw.count("gateway_upstream_tls_handshakes_total", "resumed=\"false\"")).isEqualTo(1);
      assertThat(gw.count("gateway_upstream_tls_handshakes_total", "resumed=\"true\"")).isZero();
      assertThat(up.countOrZero("upstream_tls_handshakes_total")).isZero();
      // A call whose response end Vert.x lost (about 1 in 4,000, docs/http3.md) is sent once more: the upstream
      // answered it twice.
      assertThat(up.count("upstream_requests_total", "status=\"200\""))
          .isEqualTo(1000 + gw.countOrZero("gateway_upstream_retries_total", "reason=\"http3_lost_end\""));
    }
  }

  @Test
  void poolOfThreeOpensExactlyThreeQuicConnectionsCountedOnBothSides() {
    try (Stack stack = h3Stack(true, g -> g.with(b -> b.poolSize = 3))) {
      // 300 calls at once: three QUIC connections' stream credit (100 each), so the pool grows to its size, no further.
      for (int i = 0; i < 3; i++) {
        Http.Answer answer = stack.fanout("?calls=300");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      }
      long opened = stack.gatewayMetrics().count("gateway_upstream_connections_opened_total", "protocol=\"quic\"");
      assertThat(opened).isEqualTo(3L);
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total", "protocol=\"quic\"")).isEqualTo(opened);
    }
  }

  @Test
  void theUpstreamAdvertisesHttp3OnItsTcpAnswers() {
    Path cert = dir.resolve("upstream.pem");
    try (Stack stack = h3Stack(true, g -> g)) {
      Vertx vertx = Vertx.vertx();
      try {
        var answer = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions(new HttpClientOptions()
                .setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(cert.toString()))))
            .getAbs(stack.upstream.baseUrl() + "/item/1").send().await();
        assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(answer.getHeader("alt-svc")).isEqualTo("h3=\":" + stack.upstream.port() + "\"; ma=3600");
      } finally {
        vertx.close().await();
      }
    }
  }

  @Test
  void againstAnUpstreamWithoutHttp3EveryCallFailsAsConnectTimeoutAndNothingHangs() {
    try (Stack stack = h3Stack(false, g -> g.with(b -> {
      b.poolSize = 1;
      b.connectTimeout = Duration.ofMillis(500);
    }))) {
      Http.Answer answer = stack.fanout("");
      assertThat(answer.status()).as(answer.body()).isEqualTo(502);
      JsonObject a = answer.json();
      assertThat(a.getInteger("failed")).isEqualTo(100);
      assertThat(a.getString("error")).contains("connect_timeout").contains("--http3");
      assertThat(a.getJsonObject("errors").getJsonObject("connect_timeout").getInteger("count")).as(a.encode()).isEqualTo(100);
      Scrape gw = stack.gatewayMetrics();
      assertThat(gw.count("gateway_upstream_requests_total", "outcome=\"connect_timeout\"")).isEqualTo(100);
      // Series per endpoint appear with its first connection: none here.
      assertThat(gw.countOrZero("gateway_upstream_connections_opened_total")).isZero();
      assertThat(stack.upstreamMetrics().count("upstream_connections_accepted_total")).isZero();
    }
  }
}
