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
 */
public record TlsSettings(boolean enabled, Path cert, Path key, Path certOut, TlsVersions versions,
    boolean sessionResumption, TlsEngine engine) {

  public static final TlsSettings OFF = new TlsSettings(false, null, null, null, TlsVersions.BOTH, true, TlsEngine.OPENSSL);

  public TlsSettings {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(cert == null ? "--tls-key needs --tls-cert (the certificate it belongs to)"
          : "--tls-cert needs --tls-key (the certificate's private key)");
    }
    if (!enabled && (cert != null || certOut != null)) {
      throw new IllegalArgumentException((cert != null ? "--tls-cert" : "--tls-cert-out") + " needs --tls");
    }
    if (cert != null) {
      readable("--tls-cert", cert);
      readable("--tls-key", key);
      ServerCertificate.load(cert, key); // a key that is not the certificate's stops start-up here
    }
    if (enabled) {
      TlsEngine.checkResumptionSwitch(engine, sessionResumption);
    }
  }

  /** TLS with a certificate generated at start, the defaults otherwise. */
  public static TlsSettings generated() {
    return new TlsSettings(true, null, null, null, TlsVersions.BOTH, true, TlsEngine.OPENSSL);
  }

  public TlsSettings withCertOut(Path file) {
    return new TlsSettings(enabled, cert, key, file, versions, sessionResumption, engine);
  }

  public TlsSettings withSessionResumption(boolean on) {
    return new TlsSettings(enabled, cert, key, certOut, versions, on, engine);
  }

  public TlsSettings withEngine(TlsEngine e) {
    return new TlsSettings(enabled, cert, key, certOut, versions, sessionResumption, e);
  }

  public TlsSettings withVersions(TlsVersions v) {
    return new TlsSettings(enabled, cert, key, certOut, v, sessionResumption, engine);
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
        .put("sessionResumption", sessionResumption)
        .put("engine", engine.name().toLowerCase(java.util.Locale.ROOT));
  }
}
