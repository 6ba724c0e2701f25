package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.keepalive.common.tls.TlsEngine;
import picocli.CommandLine;

/**
 * The upstream's HTTPS as a TLS client outside Java sees it (Debian's openssl s_client), and the --tls flags that
 * must stop start-up.
 */
class UpstreamTlsTest {
  private static final String REQUEST = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

  @TempDir
  Path dir;

  private record Run(int exit, UpstreamConfig config, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Cli.commandLine(new UpstreamCommand(), "UPSTREAM_", Map.of());
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, cl.getExecutionResult(), err.toString());
  }

  /** openssl s_client with the request on stdin; its whole output. */
  private static String sClient(int port, String... extra) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-ign_eof"));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static long handshakes(UpstreamServer server, boolean resumed) {
    String line = "upstream_tls_handshakes_total{resumed=\"" + resumed + "\"} ";
    return server.registry().scrape().lines().filter(l -> l.startsWith(line))
        .mapToLong(l -> Math.round(Double.parseDouble(l.substring(line.length())))).sum();
  }

  @Test
  void opensslSeesTheVersionTheAlpnProtocolTheCertificateAndResumption() throws Exception {
    Path certOut = dir.resolve("upstream.pem");
    UpstreamServer server = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)
        .withTls(TlsSettings.generated().withCertOut(certOut))).await();
    try {
      // The generated certificate, written by --tls-cert-out, verifies for localhost.
      String first = sClient(server.port(), "-alpn", "http/1.1", "-CAfile", certOut.toString(),
          "-verify_return_error", "-sess_out", dir.resolve("session").toString());
      assertThat(first).contains("Protocol  : TLSv1.3").contains("ALPN protocol: http/1.1")
          .contains("Verify return code: 0 (ok)").contains("HTTP/1.1 200").contains("\"UP\"");
      assertThat(server.tls().certificate().fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

      // The ticket from the first connection resumes the second (TLS 1.3); the upstream counts both.
      String second = sClient(server.port(), "-alpn", "http/1.1", "-sess_in", dir.resolve("session").toString());
      assertThat(second).contains("Reused, TLSv1.3");
      assertThat(handshakes(server, false)).isEqualTo(1);
      assertThat(handshakes(server, true)).isEqualTo(1);

      // h2 by ALPN, and -reconnect resumes TLS 1.2 sessions: five reconnections, five resumptions.
      String h2 = sClient(server.port(), "-alpn", "h2,http/1.1");
      assertThat(h2).contains("ALPN protocol: h2");
      String reconnect = sClient(server.port(), "-tls1_2", "-reconnect");
      assertThat(reconnect).contains("Protocol  : TLSv1.2");
      assertThat(reconnect.lines().filter(l -> l.startsWith("Reused, TLSv1.2")).count()).isEqualTo(5);
    } finally {
      server.close().await();
    }
  }

  private static long timed(UpstreamServer server, boolean resumed) {
    String line = "upstream_tls_handshake_seconds_count{resumed=\"" + resumed + "\"} ";
    return server.registry().scrape().lines().filter(l -> l.startsWith(line))
        .mapToLong(l -> Math.round(Double.parseDouble(l.substring(line.length())))).sum();
  }

  /** Lines of s_client's output that report a resumed session ("Reused, TLSv1.x, …"). */
  private static long reused(String output) {
    return output.lines().filter(l -> l.startsWith("Reused,")).count();
  }

  /**
   * --tls-session-resumption=false, with each engine: a TLS 1.3 client offering its ticket, a TLS 1.2 client
   * reconnecting with tickets and one reconnecting by session id (-no_ticket) all get full handshakes.
   */
  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void withoutResumptionOpensslsClientNeverResumes(TlsEngine engine) throws Exception {
    UpstreamServer server = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)
        .withTls(TlsSettings.generated().withEngine(engine).withSessionResumption(false))).await();
    try {
      Path session = dir.resolve("session-" + engine);
      String first = sClient(server.port(), "-alpn", "http/1.1", "-sess_out", session.toString());
      assertThat(first).contains("New, TLSv1.3").contains("HTTP/1.1 200");
      if (engine == TlsEngine.OPENSSL) {
        // BoringSSL resumes TLS 1.3 by ticket only, and sends none: s_client has no session to offer.
        assertThat(first).doesNotContain("TLS session ticket");
        assertThat(session).as("s_client got no TLS 1.3 session to resume with").doesNotExist();
      } else {
        // The JDK still sends its ticket; offered back, it is refused.
        String second = sClient(server.port(), "-alpn", "http/1.1", "-sess_in", session.toString());
        assertThat(second).contains("New, TLSv1.3").contains("HTTP/1.1 200");
        assertThat(reused(second)).as(second).isZero();
      }
      String tickets = sClient(server.port(), "-tls1_2", "-reconnect");
      assertThat(tickets).contains("Protocol  : TLSv1.2").contains("HTTP/1.1 200");
      assertThat(reused(tickets)).as(tickets).isZero();
      String ids = sClient(server.port(), "-tls1_2", "-no_ticket", "-reconnect");
      assertThat(ids).contains("Protocol  : TLSv1.2").contains("HTTP/1.1 200");
      assertThat(reused(ids)).as(ids).isZero();
      // 1 or 2 connections, then 6 for each -reconnect run (the first and five reconnections): all full, all timed.
      assertThat(timed(server, false)).isEqualTo(engine == TlsEngine.OPENSSL ? 13 : 14);
      assertThat(timed(server, true)).isZero();
      assertThat(handshakes(server, true)).isZero();
    } finally {
      server.close().await();
    }
  }

  /** The control for the test above: the same clients against each engine with resumption on do resume. */
  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void withResumptionTls12ReconnectionsResumeWithEitherEngine(TlsEngine engine) throws Exception {
    UpstreamServer server = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)
        .withTls(TlsSettings.generated().withEngine(engine))).await();
    try {
      assertThat(reused(sClient(server.port(), "-tls1_2", "-reconnect"))).isEqualTo(5);
      assertThat(reused(sClient(server.port(), "-tls1_2", "-no_ticket", "-reconnect"))).isEqualTo(5);
      assertThat(timed(server, true)).isEqualTo(10);
      assertThat(timed(server, false)).isEqualTo(2);
    } finally {
      server.close().await();
    }
  }

  @Test
  void tlsVersionsLimitWhatTheUpstreamAccepts() throws Exception {
    UpstreamServer server = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)
        .withTls(TlsSettings.generated().withVersions(dev.keepalive.common.tls.TlsVersions.parse("1.3")))).await();
    try {
      assertThat(sClient(server.port(), "-tls1_2")).contains("alert protocol version").contains("Cipher is (NONE)")
          .doesNotContain("HTTP/1.1 200");
      assertThat(sClient(server.port(), "-tls1_3")).contains("Protocol  : TLSv1.3");
    } finally {
      server.close().await();
    }
  }

  /** The key as {@code openssl genpkey} writes it: PKCS#8 PEM. */
  private static Path pkcs8(Path file, ServerCertificate c) throws IOException {
    String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(c.key().getEncoded());
    return Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
  }

  @Test
  void tlsFlagsFillTheSettings() throws IOException {
    ServerCertificate generated = ServerCertificate.generate("127.0.0.1");
    Path cert = Files.writeString(dir.resolve("cert.pem"), generated.certificatePem());
    Path key = pkcs8(dir.resolve("key.pem"), generated);
    Run r = run("--tls", "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-versions", "1.3");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.config().tls().enabled()).isTrue();
    assertThat(r.config().tls().versions().protocols()).containsExactly("TLSv1.3");
    assertThat(ServerCertificate.load(cert, key).fingerprint()).isEqualTo(generated.fingerprint());
    assertThat(run().config().tls().enabled()).isFalse();
    assertThat(r.config().tls().sessionResumption()).as("on by default").isTrue();
    Run off = run("--tls", "--tls-session-resumption=false", "--tls-engine", "jdk");
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(off.config().tls().sessionResumption()).isFalse();
    assertThat(off.config().tls().engine()).isEqualTo(TlsEngine.JDK);
  }

  @Test
  void badTlsFlagsStopStartUpNamingTheFlag() throws IOException {
    Path cert = Files.writeString(dir.resolve("cert.pem"), ServerCertificate.generate("127.0.0.1").certificatePem());
    Path otherKey = pkcs8(dir.resolve("other-key.pem"), ServerCertificate.generate("127.0.0.1"));
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    String[][] cases = {
        {"--tls-cert", "--tls", "--tls-cert", dir.resolve("missing.pem").toString(), "--tls-key", otherKey.toString()},
        {"--tls-cert", "--tls", "--tls-cert", empty.toString(), "--tls-key", otherKey.toString()},
        {"--tls-key", "--tls", "--tls-cert", cert.toString(), "--tls-key", otherKey.toString()},
        {"--tls-key", "--tls", "--tls-cert", cert.toString()},
        {"--tls-versions", "--tls", "--tls-versions", "1.1"},
        {"--tls-engine", "--tls", "--tls-engine", "gnutls"},
        {"--tls-session-resumption", "--tls-session-resumption=false"}};
    for (String[] c : cases) {
      Run r = run(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertThat(r.exit()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(r.config()).isNull();
      assertThat(r.err()).as(String.join(" ", c)).contains(c[0]).doesNotContain("\tat ");
    }
    assertThat(run("--tls", "--tls-cert", cert.toString(), "--tls-key", otherKey.toString()).err())
        .contains("is not the private key of the certificate");
  }
}
