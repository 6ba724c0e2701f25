package dev.keepalive.gateway;

import dev.keepalive.common.tls.TlsEngine;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How the gateway speaks TLS to an https:// upstream (the --tls-* flags).
 *
 * @param trust PEM certificates to trust (e.g. the upstream's --tls-cert-out), null for the JDK's CA certificates
 * @param trustAll trust any certificate and skip the host name check: for the lab only
 */
public record TlsSettings(Path trust, boolean trustAll, boolean sessionResumption, TlsEngine engine) {

  public static final TlsSettings DEFAULTS = new TlsSettings(null, false, true, TlsEngine.OPENSSL);

  public TlsSettings {
    if (trust != null && trustAll) {
      throw new IllegalArgumentException("--tls-trust and --tls-trust-all exclude each other");
    }
    if (trust != null && (!Files.isRegularFile(trust) || !Files.isReadable(trust))) {
      throw new IllegalArgumentException("Invalid value for --tls-trust: " + trust + " (no such readable file)");
    }
    if (trust != null) {
      UpstreamTls.readTrust(trust); // a file without certificates stops start-up here
    }
    TlsEngine.checkResumptionSwitch(engine, sessionResumption);
  }

  public TlsSettings withTrust(Path file) {
    return new TlsSettings(file, false, sessionResumption, engine);
  }

  public TlsSettings withTrustAll() {
    return new TlsSettings(null, true, sessionResumption, engine);
  }

  public TlsSettings withSessionResumption(boolean on) {
    return new TlsSettings(trust, trustAll, on, engine);
  }

  public TlsSettings withEngine(TlsEngine e) {
    return new TlsSettings(trust, trustAll, sessionResumption, e);
  }

  /** True when a flag asks for something only an https:// upstream can use. */
  boolean customised() {
    return customisingFlag() != null;
  }

  /** The flag that asks for something only an https:// upstream can use, for the message; null if none. */
  String customisingFlag() {
    return trust != null ? "--tls-trust" : trustAll ? "--tls-trust-all"
        : !sessionResumption ? "--tls-session-resumption=false" : null;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("trust", trustAll ? "all (lab only)" : trust == null ? "system CAs" : trust.toString())
        .put("sessionResumption", sessionResumption)
        .put("engine", engine.name().toLowerCase(Locale.ROOT));
  }
}
