package dev.keepalive.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The upstream's certificate and key: read from PEM files, or generated at start for its host names.
 *
 * @param chain the certificate first, then the CA certificates that issued it (as --tls-cert lists them), all served
 *     so that a client trusting only the root CA can build the path
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key) {

  public ServerCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs a certificate");
    }
  }

  /** A self-signed certificate: a chain of one. */
  public ServerCertificate(X509Certificate certificate, PrivateKey key) {
    this(List.of(certificate), key);
  }

  /** The server's own certificate, the first of the chain. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * A self-signed ECDSA P-256 certificate (what a modern CA issues by default) for localhost, loopback, this
   * machine's name and {@code host}, valid for a year. Made with Bouncy Castle.
   */
  public static ServerCertificate generate(String host) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      List<GeneralName> names = new ArrayList<>();
      for (String name : hostNames(host)) {
        boolean ip = name.matches("[0-9.]+") || name.contains(":");
        names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
      }
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=keepalive-lab upstream");
      var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new ServerCertificate(cert, pair.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("could not generate a TLS certificate: " + e, e);
    }
  }

  static Set<String> hostNames(String host) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      names.add(host);
    }
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException ignored) {
      // no resolvable machine name: localhost and the listen address still work
    }
    return names;
  }

  /**
   * Reads a PEM certificate chain (the server's certificate first, then its issuers) and the certificate's PEM private
   * key; each problem names the flag that gave the file.
   */
  public static ServerCertificate load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(certFile)) {
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("Invalid value for --tls-cert: " + certFile + " is not a PEM certificate ("
          + e.getMessage() + ")");
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("Invalid value for --tls-cert: " + certFile + " holds no PEM certificate");
    }
    X509Certificate cert = chain.get(0);
    PrivateKey key;
    try (Reader in = Files.newBufferedReader(keyFile); PEMParser pem = new PEMParser(in)) {
      Object o = pem.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        key = converter.getPrivateKey(pair.getPrivateKeyInfo());
      } else if (o instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else {
        throw new IOException(o == null ? "no PEM object" : "found " + o.getClass().getSimpleName()
            + " (an unencrypted private key is needed)");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid value for --tls-key: " + keyFile + " is not a PEM private key ("
          + e.getMessage() + ")");
    }
    if (!matches(cert, key)) {
      throw new IllegalArgumentException("Invalid value for --tls-key: " + keyFile + " is not the private key of the "
          + "certificate in --tls-cert " + certFile);
    }
    ServerCertificate loaded = new ServerCertificate(chain, key);
    try {
      loaded.keyManager();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("Invalid value for --tls-cert: " + certFile + " is not a certificate chain "
          + "(the server's certificate first, then each issuer's): " + e.getCause().getMessage());
    }
    return loaded;
  }

  /** Signs with the key and verifies with the certificate: they belong together only if that works. */
  private static boolean matches(X509Certificate cert, PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = "keepalive-lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** SHA-256 of the certificate, as browsers and {@code openssl x509 -fingerprint -sha256} show it. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String certificatePem() {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** A key manager serving this certificate with its whole chain. */
  X509ExtendedKeyManager keyManager() {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("upstream", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
    } catch (Exception e) {
      throw new IllegalStateException("could not use the TLS certificate: " + e, e);
    }
  }
}
