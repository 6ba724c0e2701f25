package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keepalive.common.tls.TlsEngine;
import dev.keepalive.common.tls.TlsVersions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --tls settings without a server: which files stop start-up and with what message, what the start line says
 * about TLS, and the names the generated certificate is valid for.
 */
class TlsSettingsTest {
  @TempDir
  Path dir;

  private static TlsSettings files(Path cert, Path key) {
    return new TlsSettings(true, cert, key, null, TlsVersions.BOTH, TlsEngine.OPENSSL, true);
  }

  private static Path pem(Path file, Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return Files.writeString(file, out.toString());
  }

  /** The key as {@code openssl genpkey} writes it: PKCS#8 PEM. */
  private static Path pkcs8(Path file, PrivateKey key) throws IOException {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
  }

  /** A self-signed certificate with a key of another algorithm than the upstream generates. */
  private static ServerCertificate selfSigned(String keyAlgorithm, String signature) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=test");
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE, Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
    X509Certificate cert = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
    return new ServerCertificate(cert, pair.getPrivate());
  }

  @Test
  void aCertificateWithoutItsKeyOrAKeyWithoutItsCertificateIsRefusedNamingWhatIsMissing() {
    Path file = dir.resolve("any.pem");
    assertThatThrownBy(() -> files(file, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--tls-cert needs --tls-key (the certificate's private key)");
    assertThatThrownBy(() -> files(null, file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--tls-key needs --tls-cert (the certificate it belongs to)");
  }

  @Test
  void aMissingCertificateOrKeyFileIsRefusedNamingItsFlag() throws Exception {
    ServerCertificate generated = ServerCertificate.generate("127.0.0.1");
    Path cert = pem(dir.resolve("cert.pem"), generated.certificate());
    Path key = pkcs8(dir.resolve("key.pem"), generated.key());
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> files(missing, key)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for --tls-cert: " + missing + " (no such readable file)");
    assertThatThrownBy(() -> files(cert, missing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for --tls-key: " + missing + " (no such readable file)");
    assertThatThrownBy(() -> files(cert, dir)).as("a directory is no key file")
        .hasMessage("Invalid value for --tls-key: " + dir + " (no such readable file)");
    assertThat(files(cert, key).cert()).isEqualTo(cert);
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedEvenOfAnotherAlgorithm() throws Exception {
    // An RSA certificate with the EC key of another certificate: the signature check cannot even start.
    Path rsaCert = pem(dir.resolve("rsa.pem"), selfSigned("RSA", "SHA256withRSA").certificate());
    Path ecKey = pkcs8(dir.resolve("ec-key.pem"), ServerCertificate.generate("127.0.0.1").key());
    assertThatThrownBy(() -> files(rsaCert, ecKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for --tls-key: " + ecKey + " is not the private key of the certificate in "
            + "--tls-cert " + rsaCert);
    // A DSA certificate with its own key: an algorithm the upstream does not serve, refused at start-up.
    ServerCertificate dsa = selfSigned("DSA", "SHA256withDSA");
    Path dsaCert = pem(dir.resolve("dsa.pem"), dsa.certificate());
    Path dsaKey = pkcs8(dir.resolve("dsa-key.pem"), dsa.key());
    assertThatThrownBy(() -> files(dsaCert, dsaKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid value for --tls-key: " + dsaKey);
    // The control: an RSA certificate with its own key loads.
    ServerCertificate rsa = selfSigned("RSA", "SHA256withRSA");
    Path ownCert = pem(dir.resolve("own.pem"), rsa.certificate());
    Path ownKey = pkcs8(dir.resolve("own-key.pem"), rsa.key());
    assertThat(ServerCertificate.load(ownCert, ownKey).fingerprint()).isEqualTo(rsa.fingerprint());
  }

  @Test
  void aKeyFileWithoutAPrivateKeyIsRefusedSayingWhatItHolds() throws Exception {
    ServerCertificate generated = ServerCertificate.generate("127.0.0.1");
    Path cert = pem(dir.resolve("cert.pem"), generated.certificate());
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> files(cert, empty)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for --tls-key: " + empty + " is not a PEM private key (no PEM object)");
    assertThatThrownBy(() -> files(cert, cert)).as("the certificate given as its own key")
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid value for --tls-key: " + cert
            + " is not a PEM private key (found X509CertificateHolder (an unencrypted private key is needed))");
  }

  @Test
  void theStartLineSaysWhetherTlsIsOnAndWithWhat() throws Exception {
    assertThat(TlsSettings.OFF.toJson()).isEqualTo(new JsonObject().put("enabled", false));
    assertThat(UpstreamConfig.defaults().toJson().getJsonObject("tls")).isEqualTo(new JsonObject().put("enabled", false));
    assertThat(TlsSettings.generated().toJson()).isEqualTo(new JsonObject().put("enabled", true)
        .put("certificate", "generated").put("versions", "1.2,1.3").put("engine", "openssl")
        .put("sessionResumption", true));
    ServerCertificate generated = ServerCertificate.generate("127.0.0.1");
    Path cert = pem(dir.resolve("cert.pem"), generated.certificate());
    Path key = pkcs8(dir.resolve("key.pem"), generated.key());
    TlsSettings own = new TlsSettings(true, cert, key, null, TlsVersions.parse("1.3"), TlsEngine.JDK, false);
    assertThat(own.toJson()).isEqualTo(new JsonObject().put("enabled", true).put("certificate", cert.toString())
        .put("versions", "1.3").put("engine", "jdk").put("sessionResumption", false));
  }

  @Test
  void enableTurnsTlsOnKeepingTheOtherSettings() {
    assertThat(TlsSettings.OFF.enable()).isEqualTo(TlsSettings.generated());
    TlsSettings jdk = TlsSettings.OFF.withEngine(TlsEngine.JDK).enable();
    assertThat(jdk.enabled()).isTrue();
    assertThat(jdk.engine()).isEqualTo(TlsEngine.JDK);
  }

  @Test
  void theStartLineDescribesTheCertificateAClientShouldSee() throws Exception {
    Path out = dir.resolve("served.pem");
    ServerTls written = ServerTls.create(TlsSettings.generated().withCertOut(out), "127.0.0.1", (resumed, nanos) -> {});
    String fingerprint = written.certificate().fingerprint();
    assertThat(written.describe()).isEqualTo("tls 1.2,1.3 openssl certificate sha256 " + fingerprint
        + " written to " + out);
    assertThat(Files.readString(out)).isEqualTo(written.certificate().certificatePem());
    ServerTls plain = ServerTls.create(TlsSettings.generated().withEngine(TlsEngine.JDK)
        .withVersions(TlsVersions.parse("1.3")).withSessionResumption(false), "127.0.0.1", (resumed, nanos) -> {});
    assertThat(plain.describe()).isEqualTo("tls 1.3 jdk no-resumption certificate sha256 "
        + plain.certificate().fingerprint());
    assertThat(ServerTls.create(TlsSettings.OFF, "127.0.0.1", (resumed, nanos) -> {})).isNull();
  }

  private static Set<String> subjectAltNames(ServerCertificate c) throws Exception {
    return c.certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))
        .collect(Collectors.toSet());
  }

  private static Set<String> alwaysNamed() {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"));
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException unresolvable) {
      // the certificate leaves it out too
    }
    return names;
  }

  @Test
  void theGeneratedCertificateNamesLoopbackThisMachineAndTheListenAddressUnlessAWildcard() throws Exception {
    Set<String> withHost = new LinkedHashSet<>(alwaysNamed());
    withHost.add("10.1.2.3");
    assertThat(subjectAltNames(ServerCertificate.generate("10.1.2.3"))).isEqualTo(withHost);
    Set<String> withName = new LinkedHashSet<>(alwaysNamed());
    withName.add("upstream.example");
    assertThat(subjectAltNames(ServerCertificate.generate("upstream.example"))).isEqualTo(withName);
    // A wildcard listen address is no name a client connects to.
    assertThat(subjectAltNames(ServerCertificate.generate("0.0.0.0"))).isEqualTo(alwaysNamed());
    assertThat(subjectAltNames(ServerCertificate.generate("::"))).isEqualTo(alwaysNamed());
    assertThat(ServerCertificate.generate("127.0.0.1").certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
  }
}
