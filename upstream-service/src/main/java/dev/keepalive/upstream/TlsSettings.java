package dev.keepalive.upstream;

import dev.keepalive.common.tls.TlsEngine;
import dev.keepalive.common.tls.TlsVersions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upstream's TLS configuration (--tls and the --tls-* flags).
 *
 * @param cert PEM certificate, null to generate one at start (with {@code key})
 * @param certOut where to write the certificate served, so that a client can trust it; null for nowhere
 * @param sessionResumption false: clients get no session to resume, every handshake is full
 */
public record TlsSettings(boolean enabled, Path cert, Path key, Path certOut, TlsVersions versions, TlsEngine engine,
    boolean sessionResumption) {

  public static final TlsSettings OFF = new TlsSettings(false, null, null, null, TlsVersions.BOTH, TlsEngine.OPENSSL,
      true);

  public TlsSettings {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(cert == null ? "--tls-key needs --tls-cert (the certificate it belongs to)"
          : "--tls-cert needs --tls-key (the certificate's private key)");
    }
    if (!enabled && (cert != null || certOut != null || !sessionResumption)) {
      throw new IllegalArgumentException((cert != null ? "--tls-cert" : certOut != null ? "--tls-cert-out"
          : "--tls-session-resumption") + " needs --tls");
    }
    if (cert != null) {
      readable("--tls-cert", cert);
      readable("--tls-key", key);
      ServerCertificate.load(cert, key); // a key that is not the certificate's stops start-up here
    }
  }

  /** TLS with a certificate generated at start, the defaults otherwise. */
  public static TlsSettings generated() {
    return new TlsSettings(true, null, null, null, TlsVersions.BOTH, TlsEngine.OPENSSL, true);
  }

  public TlsSettings withCertOut(Path file) {
    return new TlsSettings(enabled, cert, key, file, versions, engine, sessionResumption);
  }

  public TlsSettings withEngine(TlsEngine e) {
    return new TlsSettings(enabled, cert, key, certOut, versions, e, sessionResumption);
  }

  public TlsSettings withVersions(TlsVersions v) {
    return new TlsSettings(enabled, cert, key, certOut, v, engine, sessionResumption);
  }

  /** @param on false: every handshake full, whatever the client offers */
  public TlsSettings withSessionResumption(boolean on) {
    return new TlsSettings(enabled, cert, key, certOut, versions, engine, on);
  }

  /** These settings with TLS on (a certificate generated at start unless one is set). */
  public TlsSettings enable() {
    return new TlsSettings(true, cert, key, certOut, versions, engine, sessionResumption);
  }

  private static void readable(String flag, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("Invalid value for " + flag + ": " + file + " (no such readable file)");
    }
  }

  public JsonObject toJson() {
    if (!enabled) {
      return new JsonObject().put("enabled", false);
    }
    return new JsonObject()
        .put("enabled", true)
        .put("certificate", cert == null ? "generated" : cert.toString())
        .put("versions", versions.spec())
        .put("engine", engine.name().toLowerCase(java.util.Locale.ROOT))
        .put("sessionResumption", sessionResumption);
  }
}
