package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.TlsSettings;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS that cannot work fails every call, with a kind that says why, counted; it never hangs. */
class TlsFailuresTest {
  private static UpstreamServer tlsUpstream;
  private static UpstreamServer plainUpstream;

  @BeforeAll
  static void upstreams() {
    tlsUpstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0).withTls(TlsSettings.generated())).await();
    plainUpstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)).await();
  }

  @AfterAll
  static void close() {
    tlsUpstream.close().await();
    plainUpstream.close().await();
  }

  /** Ten calls through a fresh gateway: the answer (which must come, fan-out deadline or not) and the metrics. */
  private static JsonObject fanout(GatewayConfig config, String kind) {
    GatewayServer gw = GatewayServer.start(config.withMetricsPort(0).withClient(true, 2, false, false, 10)
        .with(b -> b.fanoutTimeout = Duration.ofSeconds(30))).await();
    try {
      Http.Answer a = Http.get(gw.baseUrl() + "/fanout?calls=10");
      assertThat(a.status()).as(a.body()).isEqualTo(502);
      JsonObject body = a.json();
      assertThat(body.getInteger("failed")).isEqualTo(10);
      assertThat(body.getJsonObject("errors").fieldNames()).as(a.body()).containsExactly(kind);
      assertThat(body.getJsonObject("errors").getJsonObject(kind).getInteger("count")).isEqualTo(10);
      Scrape metrics = Scrape.of(gw.metricsUrl());
      assertThat(metrics.count("gateway_upstream_requests_total", "outcome=\"" + kind + "\"")).isEqualTo(10);
      assertThat(metrics.count("gateway_upstream_tls_handshakes_total")).isZero();
      return body;
    } finally {
      gw.close().await();
    }
  }

  @Test
  void aGatewayThatDoesNotTrustTheCertificateFailsEveryCallAsTlsUntrusted() {
    // The JDK's CA certificates do not include the upstream's generated one.
    JsonObject body = fanout(GatewayConfig.defaults(tlsUpstream.baseUrl()), "tls_untrusted");
    assertThat(body.getJsonObject("errors").getJsonObject("tls_untrusted").getString("example"))
        .contains("--tls-trust").contains("certification path");
    assertThat(tlsUpstream.registry().scrape()).contains("upstream_tls_handshakes_total{resumed=\"false\"} 0.0");
  }

  @Test
  void tlsToAPlainPortFailsAsTlsNotTls() {
    JsonObject body = fanout(GatewayConfig.defaults(plainUpstream.baseUrl().replace("http:", "https:"))
        .withTls(dev.keepalive.gateway.TlsSettings.DEFAULTS.withTrustAll()), "tls_not_tls");
    assertThat(body.getJsonObject("errors").getJsonObject("tls_not_tls").getString("example")).contains("http://");
  }

  @Test
  void plainHttpToATlsPortFailsWithAHintAtHttps() {
    JsonObject body = fanout(GatewayConfig.defaults(tlsUpstream.baseUrl().replace("https:", "http:")), "connection_closed");
    assertThat(body.getJsonObject("errors").getJsonObject("connection_closed").getString("example")).contains("https://");
  }
}
