package dev.keepalive.gateway;

/**
 * The outcome of one upstream call.
 *
 * @param errorKind null on success, else a short kind: connect_refused, connect_timeout, connection_closed,
 *     timeout, pool_busy, http_5xx, http_4xx, http_3xx, other
 * @param newConnection the call was the first request on a connection opened for it (one TCP handshake)
 * @param connectionId identifies the connection that carried the call, 0 if none was obtained
 * @param endpoint the replica (ip:port) whose connection carried the call, null if none was obtained
 */
record CallResult(int status, String errorKind, String errorMessage, boolean newConnection, int connectionId,
    long durationNanos, String endpoint) {

  boolean succeeded() {
    return errorKind == null;
  }
}
