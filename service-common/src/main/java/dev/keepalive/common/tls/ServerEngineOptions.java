package dev.keepalive.common.tls;

import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

/**
 * A TLS server's engine options: Vert.x's, with every context wrapped in a {@link ServerSslContext} (handshakes
 * timed; with resumption off, nothing to resume). Resumption off, per engine:
 * <ul>
 *   <li>OpenSSL: no session cache (Vert.x's switch), no tickets on any connection ({@link ServerSslContext}).
 *   <li>JDK: every session offered is refused, per connection ({@link ServerSslContext}).
 * </ul>
 */
final class ServerEngineOptions {
  private ServerEngineOptions() {}

  static SSLEngineOptions of(TlsEngine engine, boolean resumption, FullHandshakes full, TlsHandshakeTimes times) {
    return engine == TlsEngine.JDK ? new Jdk(resumption, full, times) : new OpenSsl(resumption, full, times);
  }

  private static SslContext wrap(SslContext context, boolean resumption, FullHandshakes full, TlsHandshakeTimes times) {
    return new ServerSslContext(context, resumption, full, times);
  }

  static final class OpenSsl extends OpenSSLEngineOptions {
    private final boolean resumption;
    private final FullHandshakes full;
    private final TlsHandshakeTimes times;

    OpenSsl(boolean resumption, FullHandshakes full, TlsHandshakeTimes times) {
      this.resumption = resumption;
      this.full = full;
      this.times = times;
      setSessionCacheEnabled(resumption);
    }

    @Override
    public OpenSSLEngineOptions copy() {
      return new OpenSsl(resumption, full, times);
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new WrappingSslContextFactory(super.sslContextFactory(), c -> wrap(c, resumption, full, times));
    }
  }

  static final class Jdk extends JdkSSLEngineOptions {
    private final boolean resumption;
    private final FullHandshakes full;
    private final TlsHandshakeTimes times;

    Jdk(boolean resumption, FullHandshakes full, TlsHandshakeTimes times) {
      this.resumption = resumption;
      this.full = full;
      this.times = times;
    }

    @Override
    public JdkSSLEngineOptions copy() {
      return new Jdk(resumption, full, times);
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new WrappingSslContextFactory(super.sslContextFactory(), c -> wrap(c, resumption, full, times));
    }
  }
}
