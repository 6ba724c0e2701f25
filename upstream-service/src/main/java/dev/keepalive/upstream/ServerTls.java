package dev.keepalive.upstream;

import dev.keepalive.common.tls.CountingKeyManager;
import dev.keepalive.common.tls.FullHandshakes;
import dev.keepalive.common.tls.TlsHandshake;
import dev.keepalive.common.tls.TlsHandshakeTimes;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * HTTPS on the upstream's port: its certificate, HTTP/2 and HTTP/1.1 by ALPN, the TLS versions, session resumption
 * on or off, which connections came with a full handshake and how long each handshake took. One per upstream, shared by its verticle instances.
 */
public final class ServerTls {
  private final TlsSettings settings;
  private final ServerCertificate certificate;
  private final FullHandshakes full = new FullHandshakes();
  private final TlsHandshakeTimes times;

  private ServerTls(TlsSettings settings, ServerCertificate certificate, TlsHandshakeTimes times) {
    this.settings = settings;
    this.certificate = certificate;
    this.times = times;
  }

  /**
   * Loads or generates the certificate and writes it to --tls-cert-out; null when TLS is off.
   *
   * @param times where each completed handshake's time goes
   */
  public static ServerTls create(TlsSettings settings, String host, TlsHandshakeTimes times) {
    if (!settings.enabled()) {
      return null;
    }
    ServerCertificate certificate = settings.cert() == null
        ? ServerCertificate.generate(host)
        : ServerCertificate.load(settings.cert(), settings.key());
    if (settings.certOut() != null) {
      try {
        Files.writeString(settings.certOut(), certificate.certificatePem());
      } catch (IOException e) {
        throw new UncheckedIOException("could not write --tls-cert-out " + settings.certOut(), e);
      }
    }
    return new ServerTls(settings, certificate, times);
  }

  void apply(HttpServerOptions options) {
    options.setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(new CountingKeyManager(certificate.keyManager(), full)))
        .setSslEngineOptions(settings.engine().serverOptions(settings.sessionResumption(), full, times))
        .setEnabledSecureTransportProtocols(settings.versions().protocols())
        .setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
  }

  /** Called once per accepted connection, after its handshake. */
  TlsHandshake handshakeOf(HttpConnection connection) {
    return TlsHandshake.of(connection, full);
  }

  public ServerCertificate certificate() {
    return certificate;
  }

  /** For the start line: how a client can check what it is talking to. */
  public String describe() {
    return "tls " + settings.versions().spec() + " " + settings.engine().name().toLowerCase(java.util.Locale.ROOT)
        + (settings.sessionResumption() ? "" : " no-resumption")
        + " certificate sha256 " + certificate.fingerprint()
        + (settings.certOut() != null ? " written to " + settings.certOut() : "");
  }
}
