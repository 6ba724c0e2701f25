package dev.keepalive.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * --max-connection-age: drains each upstream connection once it is that old, so that long-lived keep-alive
 * connections do not stay on the replicas that existed when they opened (gRPC's MAX_CONNECTION_AGE, Envoy's
 * max_connection_duration).
 *
 * <p>Not {@code PoolOptions.setMaxLifetime}: the pool enforces it only on idle connections, and closes them
 * rather than drains them. Here a timer from the connect handler calls {@link HttpConnection#shutdown(Duration)}:
 * an HTTP/1.1 connection takes no new call and closes after the one in flight, an HTTP/2 connection sends GOAWAY
 * and closes once its streams are done. Each age is jittered by up to 10 % either way, so connections opened
 * together (a pool filled by one fan-out) are not all drained, and reopened, in the same instant.
 */
final class ConnectionAgeLimit {
  static final double JITTER = 0.1;

  private final Vertx vertx;
  private final long ageMillis;
  private final Duration grace;

  /** @param grace time the calls in flight get to finish before the connection is closed anyway */
  ConnectionAgeLimit(Vertx vertx, Duration maxAge, Duration grace) {
    this.vertx = vertx;
    this.ageMillis = maxAge.toMillis();
    this.grace = grace;
  }

  boolean enabled() {
    return ageMillis > 0;
  }

  /**
   * Called from the connect handler, on the connection's event loop. The timer is not cancelled when the
   * connection closes first (the tracker owns the connection's one close handler): it then finds it gone.
   *
   * @param agedOut marks the connection as closed for its age; false if it is already closed
   */
  void watch(HttpConnection connection, Predicate<HttpConnection> agedOut) {
    if (!enabled()) {
      return;
    }
    double factor = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
    vertx.setTimer(Math.max(1, Math.round(ageMillis * factor)), id -> {
      if (agedOut.test(connection)) {
        connection.shutdown(grace);
      }
    });
  }
}
