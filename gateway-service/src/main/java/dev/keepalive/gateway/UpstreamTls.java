package dev.keepalive.gateway;

import dev.keepalive.common.tls.FullHandshakes;
import dev.keepalive.common.tls.RecordingTrustManager;
import dev.keepalive.common.tls.TlsHandshake;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS to an https:// upstream: whom to trust, the engine, resumption, ALPN, and which of the client's connections
 * came with a full handshake. One per gateway; every lane's client (and the health probe) uses it.
 */
final class UpstreamTls {
  private final GatewayConfig config;
  private final FullHandshakes full = new FullHandshakes();
  private final TrustManager trustManager;

  UpstreamTls(GatewayConfig config) {
    this.config = config;
    this.trustManager = config.upstream().tls() ? new RecordingTrustManager(trusted(config.tls()), full) : null;
  }

  boolean enabled() {
    return trustManager != null;
  }

  /** The hook in every client the gateway builds to the upstream; nothing for a plain http:// upstream. */
  void apply(HttpClientOptions options) {
    if (!enabled()) {
      return;
    }
    TlsSettings tls = config.tls();
    options.setSsl(true)
        .setTrustOptions(TrustOptions.wrap(trustManager))
        .setVerifyHost(!tls.trustAll())
        .setSslEngineOptions(tls.engine().options(tls.sessionResumption()))
        // ALPN: h2 (with HTTP/1.1 as fallback) under --http2. Without it Vert.x 5.1.6's client sends no ALPN extension
        // at all (the http/1.1 listed here is not offered): the answers' tls.alpn says "none" (TlsCertificatesTest).
        .setUseAlpn(true)
        .setAlpnVersions(config.http2() ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1) : List.of(HttpVersion.HTTP_1_1));
  }

  /** The handshake of a connection the client just opened; null for plain HTTP. */
  TlsHandshake handshakeOf(HttpConnection connection) {
    if (!enabled()) {
      return null;
    }
    return connection.protocolVersion() == HttpVersion.HTTP_3 ? TlsHandshake.ofQuic(connection, full)
        : TlsHandshake.of(connection, full);
  }

  /** The trust manager checking the upstream's chain: --tls-trust's certificates, the JDK's CAs, or none (all). */
  private static X509ExtendedTrustManager trusted(TlsSettings tls) {
    if (tls.trustAll()) {
      return null;
    }
    try {
      KeyStore store = tls.trust() == null ? null : readTrust(tls.trust());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager in this JDK");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not set up TLS trust: " + e, e);
    }
  }

  /** The PEM certificates of --tls-trust, each problem named after the flag. */
  static KeyStore readTrust(java.nio.file.Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("trusted-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("Invalid value for --tls-trust: " + file + " holds no PEM certificate");
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("Invalid value for --tls-trust: " + file + " is not a PEM certificate file ("
          + e.getMessage() + ")");
    }
  }
}
