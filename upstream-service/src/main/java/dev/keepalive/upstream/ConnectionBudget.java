package dev.keepalive.upstream;

import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Counts requests per connection for {@code --max-requests-per-connection}, as Node's
 * {@code server.maxRequestsPerSocket}: the Nth request on a connection is its last.
 * One instance per verticle, so only its event loop touches it.
 */
final class ConnectionBudget {
  private final int maxRequests;
  private final Map<HttpConnection, int[]> served = new WeakHashMap<>();

  ConnectionBudget(int maxRequests) {
    this.maxRequests = maxRequests;
  }

  enum Turn { MORE, LAST, BEYOND }

  /**
   * Counts one more request on the connection: LAST when it must be the connection's last, BEYOND for
   * requests a client pipelined behind the last one, which are never served (the connection is closing).
   */
  Turn next(HttpConnection connection) {
    if (maxRequests == 0) {
      return Turn.MORE;
    }
    int n = ++served.computeIfAbsent(connection, c -> new int[1])[0];
    return n < maxRequests ? Turn.MORE : n == maxRequests ? Turn.LAST : Turn.BEYOND;
  }

  void forget(HttpConnection connection) {
    served.remove(connection);
  }
}
