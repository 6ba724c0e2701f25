package dev.keepalive.common.server;

import dev.keepalive.common.server.ServerConnectionMetrics.Reason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;

/**
 * One client connection's timer: at most one runs (a request's headers, then idle between requests). Event-loop
 * confined. Used by {@link ConnectionGuard} (the gateway: headers and idle) and {@link LaterHeadsTimeout} (the
 * upstream: later requests' headers only, Vert.x's own idle timeout closes idle connections there).
 */
final class GuardedConnection {
  private final Context context;
  private final Vertx vertx;
  private final HttpConnection connection;
  private final Duration headersTimeout;
  private final String headersTimeoutMessage;
  private final Runnable onHeadersTimeout;
  private long timer = -1;
  private Reason timerReason;
  private int inProgress;
  private long requestsStarted;
  private Reason closedBy;

  /** @param onHeadersTimeout run when the headers timeout closes the connection (a metric) */
  GuardedConnection(Context context, HttpConnection connection, Duration headersTimeout, String headersTimeoutMessage,
      Runnable onHeadersTimeout) {
    this.context = context;
    this.vertx = context.owner();
    this.connection = connection;
    this.headersTimeout = headersTimeout;
    this.headersTimeoutMessage = headersTimeoutMessage;
    this.onHeadersTimeout = onHeadersTimeout;
  }

  /**
   * Times each later request's headers from its first bytes, which Vert.x does not report: a Netty handler at the
   * front of the pipeline notices them ({@link NextHeadWatcher}). HTTP/1.x only: HTTP/2 and HTTP/3 frame their
   * requests, and a half-sent stream does not hold the connection's turn.
   *
   * @return whether the connection is watched
   */
  boolean watchLaterHeads() {
    boolean http1 = connection.protocolVersion() == HttpVersion.HTTP_1_1
        || connection.protocolVersion() == HttpVersion.HTTP_1_0;
    if (headersTimeout.isZero() || !http1 || !(connection instanceof ConnectionBase base)) {
      return false;
    }
    base.channel().pipeline().addFirst(new NextHeadWatcher(this::beforeRead));
    return true;
  }

  /** Why the connection's timer closed it, null if it did not. */
  Reason closedBy() {
    return closedBy;
  }

  void await(Duration timeout, Reason reason) {
    cancel();
    if (timeout.isZero()) {
      return;
    }
    timerReason = reason;
    timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      timer = -1;
      if (inProgress > 0 || closedBy != null) {
        return;
      }
      closedBy = reason;
      if (reason == Reason.HEADERS_TIMEOUT) {
        onHeadersTimeout.run();
        HeadersTimeoutResponse.sendAndClose(connection, headersTimeoutMessage);
      } else {
        connection.close();
      }
    });
  }

  void requestStarted() {
    inProgress++;
    requestsStarted++;
    cancel();
  }

  /** On the event loop, before Vert.x reads bytes: between requests, they begin the next request's head. */
  private Runnable beforeRead() {
    if (inProgress > 0 || closedBy != null) {
      return null;
    }
    long seen = requestsStarted;
    return () -> context.runOnContext(v -> nextRequestStarted(seen));
  }

  /**
   * Bytes arrived with no request in progress and no request has started since (Vert.x may have completed its head
   * from those very bytes, and even answered it): the next request's line and headers have begun, so the idle timer
   * (if any) gives way to the headers timeout, which runs until the head is complete ({@link #requestStarted}).
   * The first request's headers are timed from the connection's open.
   */
  private void nextRequestStarted(long seen) {
    boolean headersTimed = timer != -1 && timerReason == Reason.HEADERS_TIMEOUT;
    if (requestsStarted == seen && inProgress == 0 && closedBy == null && !headersTimed) {
      await(headersTimeout, Reason.HEADERS_TIMEOUT);
    }
  }

  /** @param idleTimeout how long the connection may then stay idle; zero starts no timer */
  void requestEnded(Duration idleTimeout) {
    if (--inProgress == 0) {
      await(idleTimeout, Reason.IDLE);
    }
  }

  void cancel() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
