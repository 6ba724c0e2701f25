package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsEngine;
import dev.keepalive.common.tls.TlsVersions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificates as deployments have them: issued by an intermediate CA under a root the client trusts, for the right
 * host name or not; and --tls-trust-all, which takes any certificate.
 */
class TlsCertificatesTest {
  private static final String GW = "gateway_upstream_tls_handshakes_total";
  private static final String UP = "upstream_tls_handshakes_total";

  @TempDir
  static Path dir;

  private static TestCertificateChain ca;

  @BeforeAll
  static void ca() {
    ca = TestCertificateChain.create(dir);
  }

  /** The upstream's --tls --tls-cert CHAIN --tls-key KEY. */
  private static dev.keepalive.upstream.TlsSettings serving(TestCertificateChain.Server server, TlsEngine engine) {
    return new dev.keepalive.upstream.TlsSettings(true, server.chain(), server.key(), null, TlsVersions.BOTH, engine, true);
  }

  /** Generous deadlines: a busy 2-core machine. */
  private static GatewayConfig patient(GatewayConfig g) {
    return g.withClient(true, 2, false, false, 10).with(b -> b.fanoutTimeout = Duration.ofSeconds(30));
  }

  /** openssl s_client with a request on stdin; its whole output. */
  private static String sClient(int port, String... extra) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-ign_eof"));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void theUpstreamServesItsWholeChainSoTrustingTheRootCaIsEnough(TlsEngine engine) throws Exception {
    TestCertificateChain.Server localhost = ca.issue("localhost-" + engine, "DNS:localhost,IP:127.0.0.1");
    try (Stack stack = Stack.start(u -> u.withTls(serving(localhost, engine)),
        g -> patient(g.withTls(g.tls().withTrust(ca.root()).withEngine(engine))))) {
      // openssl sees the server's certificate and the intermediate's, and verifies them up to the root.
      String s = sClient(stack.upstream.port(), "-showcerts", "-CAfile", ca.root().toString(), "-verify_return_error");
      assertThat(s.split("-----BEGIN CERTIFICATE-----", -1).length - 1).as(s).isEqualTo(2);
      assertThat(s).contains("Verify return code: 0 (ok)").contains("HTTP/1.1 200");

      // The gateway, trusting the root CA alone, builds the same path.
      Http.Answer a = stack.fanout("?calls=10");
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      JsonObject tls = a.json().getJsonObject("tls");
      assertThat(tls.getInteger("fullHandshakes")).as(tls.encode()).isPositive();
      // Over HTTP/1.1 Vert.x's client sends no ALPN extension: nothing was negotiated (docs/tls.md, docs/fanout-api.md).
      assertThat(tls.getString("alpn")).isEqualTo("none");
      assertThat(stack.gatewayMetrics().count(GW, "resumed=\"false\"")).isEqualTo(tls.getLong("fullHandshakes"));
    }
  }

  @Test
  void aCertificateForAnotherHostNameFailsEveryCallAsTlsUntrusted() {
    TestCertificateChain.Server elsewhere = ca.issue("elsewhere", "DNS:elsewhere.example");
    try (Stack stack = Stack.start(u -> u.withTls(serving(elsewhere, TlsEngine.OPENSSL)),
        g -> patient(g.withTls(g.tls().withTrust(ca.root()))))) {
      // The chain verifies (the root is trusted), the name does not: the gateway called 127.0.0.1.
      Http.Answer a = stack.fanout("?calls=10");
      assertThat(a.status()).as(a.body()).isEqualTo(502);
      JsonObject errors = a.json().getJsonObject("errors");
      assertThat(errors.fieldNames()).as(a.body()).containsExactly("tls_untrusted");
      assertThat(errors.getJsonObject("tls_untrusted").getInteger("count")).isEqualTo(10);
      assertThat(errors.getJsonObject("tls_untrusted").getString("example")).contains("127.0.0.1");
      Scrape gw = stack.gatewayMetrics();
      assertThat(gw.count("gateway_upstream_requests_total", "outcome=\"tls_untrusted\"")).isEqualTo(10);
      assertThat(gw.countOrZero(GW)).isZero();
    }
  }

  /** --tls-trust-all takes a certificate nobody vouches for, and one for another name; the lab's shortcut. */
  @Test
  void trustAllAcceptsAnUntrustedCertificateAndAnotherHostsName() {
    TestCertificateChain.Server elsewhere = ca.issue("elsewhere-all", "DNS:elsewhere.example");
    for (dev.keepalive.upstream.TlsSettings served : List.of(dev.keepalive.upstream.TlsSettings.generated(),
        serving(elsewhere, TlsEngine.OPENSSL))) {
      try (Stack stack = Stack.start(u -> u.withTls(served), g -> patient(g.withTls(TlsSettings.DEFAULTS.withTrustAll())))) {
        Http.Answer a = stack.fanout("?calls=10");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().getInteger("failed")).isZero();
        long full = stack.gatewayMetrics().count(GW, "resumed=\"false\"");
        assertThat(full).isPositive();
        assertThat(stack.upstreamMetrics().count(UP, "resumed=\"false\"")).isEqualTo(full);
      }
    }
  }
}
