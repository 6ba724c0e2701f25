package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keepalive.common.tls.TlsEngine;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --tls-* settings as a record: each refusal names its flag and says what is wrong with the value, the flag an
 * http:// upstream cannot use is named, and the answer's "tls" section says whom the gateway trusts.
 * (GatewayTlsFlagsTest runs the same through the command line.)
 */
class TlsSettingsTest {
  @TempDir
  Path dir;

  @Test
  void aTrustFileMustBeAReadableFileOfPemCertificates() throws IOException {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TlsSettings.DEFAULTS.withTrust(missing))
        .hasMessage("Invalid value for --tls-trust: " + missing + " (no such readable file)");
    assertThatThrownBy(() -> TlsSettings.DEFAULTS.withTrust(dir))
        .hasMessage("Invalid value for --tls-trust: " + dir + " (no such readable file)");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> TlsSettings.DEFAULTS.withTrust(empty))
        .hasMessage("Invalid value for --tls-trust: " + empty + " holds no PEM certificate");
    Path broken = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TlsSettings.DEFAULTS.withTrust(broken))
        .hasMessageStartingWith("Invalid value for --tls-trust: " + broken + " is not a PEM certificate file (");
    Path cert = TestCertificate.create().cert();
    assertThat(TlsSettings.DEFAULTS.withTrust(cert).trust()).isEqualTo(cert);
  }

  @Test
  void contradictoryFlagsAreRefused() {
    Path cert = TestCertificate.create().cert();
    assertThatThrownBy(() -> new TlsSettings(cert, true, true, TlsEngine.OPENSSL))
        .hasMessage("--tls-trust and --tls-trust-all exclude each other");
    assertThatThrownBy(() -> TlsSettings.DEFAULTS.withEngine(TlsEngine.JDK).withSessionResumption(false))
        .hasMessageStartingWith("--tls-session-resumption=false needs --tls-engine openssl");
  }

  @Test
  void theFlagAPlainUpstreamCannotUseIsNamed() {
    assertThat(TlsSettings.DEFAULTS.customised()).isFalse();
    assertThat(TlsSettings.DEFAULTS.customisingFlag()).isNull();
    assertThat(TlsSettings.DEFAULTS.withTrust(TestCertificate.create().cert()).customisingFlag()).isEqualTo("--tls-trust");
    assertThat(TlsSettings.DEFAULTS.withTrustAll().customisingFlag()).isEqualTo("--tls-trust-all");
    assertThat(TlsSettings.DEFAULTS.withSessionResumption(false).customisingFlag())
        .isEqualTo("--tls-session-resumption=false");
    assertThat(TlsSettings.DEFAULTS.withSessionResumption(false).customised()).isTrue();
    assertThat(TlsSettings.DEFAULTS.withEngine(TlsEngine.JDK).customised()).as("the engine applies to https only, "
        + "but choosing it is harmless").isFalse();
  }

  @Test
  void theAnswerSaysWhomTheGatewayTrustsAndHow() {
    assertThat(TlsSettings.DEFAULTS.toJson()).isEqualTo(new JsonObject().put("trust", "system CAs")
        .put("sessionResumption", true).put("engine", "openssl"));
    assertThat(TlsSettings.DEFAULTS.withTrustAll().withEngine(TlsEngine.JDK).toJson()).isEqualTo(new JsonObject()
        .put("trust", "all (lab only)").put("sessionResumption", true).put("engine", "jdk"));
    Path cert = TestCertificate.create().cert();
    assertThat(TlsSettings.DEFAULTS.withTrust(cert).withSessionResumption(false).toJson()).isEqualTo(new JsonObject()
        .put("trust", cert.toString()).put("sessionResumption", false).put("engine", "openssl"));
  }
}
