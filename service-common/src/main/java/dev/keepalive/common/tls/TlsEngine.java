package dev.keepalive.common.tls;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * Which TLS implementation Netty runs: BoringSSL through netty-tcnative (the default, chosen by measurement:
 * docs/tls.md) or the JDK's own. Both resume sessions; only OpenSSL lets one client or server turn resumption off.
 */
public enum TlsEngine {
  OPENSSL,
  JDK;

  /** @param sessionResumption false: this side neither caches nor offers sessions (OpenSSL only) */
  public SSLEngineOptions options(boolean sessionResumption) {
    if (this == JDK) {
      return new JdkSSLEngineOptions();
    }
    if (!OpenSSLEngineOptions.isAvailable()) {
      throw new IllegalStateException("the OpenSSL TLS engine is not available ("
          + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + "); use --tls-engine jdk");
    }
    return new OpenSSLEngineOptions().setSessionCacheEnabled(sessionResumption);
  }

  /** The JDK has no per-context switch for resumption (only JVM-wide system properties). */
  public static void checkResumptionSwitch(TlsEngine engine, boolean sessionResumption) {
    if (engine == JDK && !sessionResumption) {
      throw new IllegalArgumentException("--tls-session-resumption=false needs --tls-engine openssl: the JDK engine "
          + "cannot turn resumption off for one client or server");
    }
  }
}
