package dev.keepalive.common.tls;

import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import javax.net.ssl.SSLEngine;

/** The SSL engine under a Vert.x connection (Vert.x exposes the session, not the engine that made it). */
final class TlsConnections {
  private TlsConnections() {}

  static SSLEngine engineOf(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      SslHandler ssl = base.channel().pipeline().get(SslHandler.class);
      return ssl == null ? null : ssl.engine();
    }
    return null;
  }
}
