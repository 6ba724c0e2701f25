package dev.keepalive.common.tls;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A TLS server's Netty context with two per-connection duties that Vert.x has no option for: timing each handshake,
 * and, with resumption off, leaving the client no session to resume.
 */
final class ServerSslContext extends DelegatingSslContext {
  private static final AtomicLong CONNECTIONS = new AtomicLong();
  private final boolean resumption;
  private final FullHandshakes full;
  private final TlsHandshakeTimes times;

  ServerSslContext(SslContext context, boolean resumption, FullHandshakes full, TlsHandshakeTimes times) {
    super(context);
    this.resumption = resumption;
    this.full = full;
    this.times = times;
  }

  @Override
  protected void initEngine(SSLEngine engine) {
    if (resumption) {
      return;
    }
    if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
      // Netty turns session tickets back on for each connection that may speak TLS 1.3 (BoringSSL resumes TLS 1.3 by
      // ticket only), over the context's options: so off again here, for this connection. Tickets are also
      // TLS 1.2's stateless resumption; its session-id cache is off in the context (Vert.x's switch).
      SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
    } else {
      // The JDK server has no per-context switch (tickets are JVM-wide, and a session lifetime over 7 days stops
      // tickets but breaks TLS 1.2 clients that were promised one). It does resume only a session made under the same
      // endpoint identification algorithm (TLS 1.2 and 1.3 alike); a server checks no host name with it, so a name
      // of this connection's own makes every session offered to it foreign, and the handshake full.
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("no-resumption-" + CONNECTIONS.incrementAndGet());
      engine.setSSLParameters(parameters);
    }
  }

  @Override
  protected void initHandler(SslHandler handler) {
    initEngine(handler.engine());
    // Vert.x makes a server's TLS handler as it accepts the connection: the time runs from the TCP accept, through
    // the wait for the ClientHello, the handshake's round trip(s) and both sides' cryptography, to its end.
    long accepted = System.nanoTime();
    handler.handshakeFuture().addListener(done -> {
      if (done.isSuccess()) {
        times.handshakeDone(!full.isFull(handler.engine()), System.nanoTime() - accepted);
      }
    });
  }
}
