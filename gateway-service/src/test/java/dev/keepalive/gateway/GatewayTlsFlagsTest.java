package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.TransportChoice;
import dev.keepalive.common.tls.TlsEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's --tls-* flags: an https:// upstream, whom to trust, and refusals that name the flag. */
class GatewayTlsFlagsTest {
  @TempDir
  Path dir;

  private static GatewayCli.Run run(String... args) {
    return GatewayCli.run(Map.of(), args);
  }

  @Test
  void anHttpsUpstreamWithTheDefaults() {
    GatewayConfig c = run("--upstream", "https://upstream:8443").config();
    assertThat(c.upstream().tls()).isTrue();
    assertThat(c.upstream().toString()).isEqualTo("https://upstream:8443");
    assertThat(run("--upstream", "https://upstream").config().upstream().port()).isEqualTo(443);
    assertThat(c.tls().sessionResumption()).isTrue();
    assertThat(c.tls().engine()).isEqualTo(TlsEngine.OPENSSL);
    assertThat(c.clientJson(TransportChoice.NIO).getJsonObject("tls").getString("trust")).isEqualTo("system CAs");
    assertThat(run().config().clientJson(TransportChoice.NIO).getValue("tls")).isNull();
  }

  @Test
  void badTlsFlagsStopStartUpNamingTheFlag() throws IOException {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    String[][] cases = {
        {"--tls-trust", "--upstream", "https://x:1", "--tls-trust", dir.resolve("missing.pem").toString()},
        {"--tls-trust", "--upstream", "https://x:1", "--tls-trust", notPem.toString()},
        {"--tls-trust-all", "--upstream", "https://x:1", "--tls-trust-all", "--tls-trust", notPem.toString()},
        // Each flag an http:// upstream cannot use is named.
        {"--tls-trust-all needs an https://", "--upstream", "http://x:1", "--tls-trust-all"},
        {"--tls-trust needs an https://", "--upstream", "http://x:1", "--tls-trust", TestCertificate.create().cert().toString()},
        {"--tls-session-resumption=false needs an https://", "--upstream", "http://x:1", "--tls-session-resumption=false"},
        {"--tls-session-resumption", "--upstream", "https://x:1", "--tls-session-resumption=false", "--tls-engine", "jdk"},
        {"--tls-engine", "--upstream", "https://x:1", "--tls-engine", "gnutls"}};
    for (String[] c : cases) {
      GatewayCli.Run r = run(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertThat(r.exit()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(r.config()).isNull();
      assertThat(r.err()).as(String.join(" ", c)).contains(c[0]).doesNotContain("\tat ");
    }
  }

  @Test
  void helpSaysTrustAllIsForTheLabOnly() {
    GatewayCli.Run r = run("--help");
    assertThat(r.out()).contains("--tls-trust").contains("--tls-session-resumption").contains("--tls-engine")
        .contains("FOR THE LAB ONLY");
  }
}
