package dev.keepalive.common.tls;

import io.vertx.core.http.HttpConnection;
import javax.net.ssl.SSLSession;

/**
 * What one connection's TLS handshake was: full (key exchange, certificate, signature and its verification) or
 * resumed from an earlier session, the protocol version, and the protocol ALPN chose.
 */
public record TlsHandshake(boolean resumed, String version, String alpn) {

  /** The handshake of a connection that has completed it; null for a plain connection. */
  public static TlsHandshake of(HttpConnection connection, FullHandshakes full) {
    SSLSession session = connection.sslSession();
    if (session == null) {
      return null;
    }
    var engine = TlsConnections.engineOf(connection);
    String alpn = engine == null ? null : engine.getApplicationProtocol();
    return new TlsHandshake(!full.claim(engine), session.getProtocol(), alpn == null || alpn.isEmpty() ? "none" : alpn);
  }
}
