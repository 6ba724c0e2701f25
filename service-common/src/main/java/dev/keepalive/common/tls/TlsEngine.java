package dev.keepalive.common.tls;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * Which TLS implementation Netty runs: BoringSSL through netty-tcnative (the default, chosen by measurement:
 * docs/tls.md) or the JDK's own. Both resume sessions; a server of either can turn resumption off, a client only
 * with OpenSSL.
 */
public enum TlsEngine {
  OPENSSL,
  JDK;

  /** @param sessionResumption false: a client that offers no session (OpenSSL only; a server ignores it) */
  public SSLEngineOptions options(boolean sessionResumption) {
    if (this == JDK) {
      return new JdkSSLEngineOptions();
    }
    checkAvailable();
    return sessionResumption ? new OpenSSLEngineOptions() : new OpenSslWithoutResumption();
  }

  /**
   * A server's options: each handshake reported to {@code times}, full or resumed as {@code full} tells.
   *
   * @param sessionResumption false: the server leaves its clients no session to resume (both engines)
   */
  public SSLEngineOptions serverOptions(boolean sessionResumption, FullHandshakes full, TlsHandshakeTimes times) {
    if (this == OPENSSL) {
      checkAvailable();
    }
    return ServerEngineOptions.of(this, sessionResumption, full, times);
  }

  private static void checkAvailable() {
    if (!OpenSSLEngineOptions.isAvailable()) {
      throw new IllegalStateException("the OpenSSL TLS engine is not available ("
          + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + "); use --tls-engine jdk");
    }
  }

  /** The JDK has no per-context switch for resumption (only JVM-wide system properties). */
  public static void checkResumptionSwitch(TlsEngine engine, boolean sessionResumption) {
    if (engine == JDK && !sessionResumption) {
      throw new IllegalArgumentException("--tls-session-resumption=false needs --tls-engine openssl: the JDK engine "
          + "cannot turn resumption off for one client");
    }
  }
}
