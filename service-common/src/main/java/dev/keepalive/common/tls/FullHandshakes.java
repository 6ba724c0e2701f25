package dev.keepalive.common.tls;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;

/**
 * Which connections did a full TLS handshake. With the JDK engine, the certificate step tells: a server is asked
 * for its key ({@link CountingKeyManager}), a client checks the server's chain ({@link RecordingTrustManager}) only in
 * a full handshake. With OpenSSL, the engine says whether it reused a session. Each engine is claimed once, when its
 * connection opens. Session ids and creation times are no signal (TLS 1.3 makes a new id on every resumption).
 */
public final class FullHandshakes {
  // Weak: an engine whose connection never reached the connection handler (a failed handshake) is simply dropped.
  private final Set<SSLEngine> engines = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  // QUIC: Vert.x 5.1.6 hides the engine of an HTTP/3 connection, so full handshakes are counted, then claimed in turn.
  private final AtomicLong quicFull = new AtomicLong();

  void record(SSLEngine engine) {
    if (engine != null) {
      engines.add(unwrap(engine));
    }
  }

  /** A QUIC connection's client checked the server's chain: a full handshake, claimed by {@link #claimQuic}. */
  void recordQuic() {
    quicFull.incrementAndGet();
  }

  /**
   * For a QUIC connection that completed its handshake: true if a full handshake was recorded and not yet claimed
   * (the chain is checked during the handshake, before the connection is handed over), false if it resumed.
   * Concurrent handshakes may claim each other's record: the counts are right, which connection is not.
   */
  boolean claimQuic() {
    return quicFull.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** True if the engine did a full handshake; false if it resumed a session. */
  boolean claim(SSLEngine engine) {
    if (engine == null) {
      return false;
    }
    boolean certificateStep = engines.remove(unwrap(engine));
    // BoringSSL asks a server for its certificate before it decides to resume, so the OpenSSL engine's own answer
    // wins where it has one.
    Boolean reused = openSslReused(engine);
    return reused == null ? certificateStep : !reused;
  }

  /** Like {@link #claim}, without claiming: asked when the handshake ends, before the connection handler claims. */
  boolean isFull(SSLEngine engine) {
    if (engine == null) {
      return false;
    }
    Boolean reused = openSslReused(engine);
    return reused == null ? engines.contains(unwrap(engine)) : !reused;
  }

  private static final Method OPENSSL_REUSED = method("io.netty.handler.ssl.ReferenceCountedOpenSslEngine", "isSessionReused");

  /** Netty's {@code isSessionReused()} of an OpenSSL engine (package-private, hence reflection); null for others. */
  private static Boolean openSslReused(SSLEngine engine) {
    if (OPENSSL_REUSED == null || !OPENSSL_REUSED.getDeclaringClass().isInstance(engine)) {
      return null;
    }
    try {
      return (Boolean) OPENSSL_REUSED.invoke(engine);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static Method method(String className, String name) {
    try {
      Method m = Class.forName(className, false, FullHandshakes.class.getClassLoader()).getDeclaredMethod(name);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * Netty wraps the JDK's engine (for ALPN), and the JDK calls key and trust managers with the inner one. Netty's
   * wrapper class is not public, so its public {@code getWrappedEngine()} is reached by reflection.
   */
  private static SSLEngine unwrap(SSLEngine engine) {
    if (JDK_WRAPPER != null && JDK_WRAPPER.getDeclaringClass().isInstance(engine)) {
      try {
        return (SSLEngine) JDK_WRAPPER.invoke(engine);
      } catch (ReflectiveOperationException e) {
        return engine;
      }
    }
    return engine;
  }

  private static final Method JDK_WRAPPER = method("io.netty.handler.ssl.JdkSslEngine", "getWrappedEngine");
}
