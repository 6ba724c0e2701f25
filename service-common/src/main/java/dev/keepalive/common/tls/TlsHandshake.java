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

  /**
   * The TLS 1.3 handshake inside a QUIC connection's (HTTP/3), seen from the client: full if the client checked the
   * server's chain during it ({@link RecordingTrustManager}); a resumed one would not.
   */
  public static TlsHandshake ofQuic(HttpConnection connection, FullHandshakes full) {
    SSLSession session = connection.sslSession();
    return session == null ? null : new TlsHandshake(!full.claimQuic(), session.getProtocol(), "h3");
  }
}
