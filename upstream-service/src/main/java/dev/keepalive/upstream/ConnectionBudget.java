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

  /** Counts one more request on the connection; true when it must be the connection's last. */
  boolean isLast(HttpConnection connection) {
    if (maxRequests == 0) {
      return false;
    }
    int[] count = served.computeIfAbsent(connection, c -> new int[1]);
    return ++count[0] >= maxRequests;
  }

  void forget(HttpConnection connection) {
    served.remove(connection);
  }
}
