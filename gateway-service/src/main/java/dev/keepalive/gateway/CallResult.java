package dev.keepalive.gateway;

import dev.keepalive.common.tls.TlsHandshake;

/**
 * The outcome of one upstream call.
 *
 * @param errorKind null on success, else a short kind: connect_refused, connect_timeout, connection_closed,
 *     timeout, pool_busy, tls_untrusted, tls_not_tls, tls_handshake_failed, http_5xx, http_4xx, http_3xx, other
 * @param newConnection the call was the first request on a connection opened for it (one TCP handshake)
 * @param connectionId identifies the connection that carried the call, 0 if none was obtained
 * @param endpoint the replica (ip:port) whose connection carried the call, null if none was obtained
 * @param tls the TLS handshake of the connection that carried the call (its own if newConnection), null if plain
 */
record CallResult(int status, String errorKind, String errorMessage, boolean newConnection, int connectionId,
    long durationNanos, String endpoint, TlsHandshake tls) {

  CallResult(int status, String errorKind, String errorMessage, boolean newConnection, int connectionId,
      long durationNanos) {
    this(status, errorKind, errorMessage, newConnection, connectionId, durationNanos, null, null);
  }

  boolean succeeded() {
    return errorKind == null;
  }
}
