package dev.keepalive.gateway;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Names a failed upstream call by what went wrong, for answers and metric labels alike. */
final class FailureKinds {
  private FailureKinds() {}

  static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UpstreamClient.AbandonedCall) return "abandoned";
      if (t instanceof ConnectTimeoutException) return "connect_timeout";
      if (t instanceof ConnectException) return "connect_refused";
      if (t instanceof UnknownHostException) return "unknown_host";
      // HTTP/2 streams the server refused (GOAWAY above the last stream it took, or REFUSED_STREAM): the
      // protocol guarantees they were not processed.
      if (t instanceof HttpClosedException c && c.goAway() != null) return "refused_stream";
      if (t instanceof StreamResetException r && r.getCode() == 7) return "refused_stream";
      if (t instanceof HttpClosedException) return "connection_closed";
      // A call that waited for a connection being set up, bounded by the connect timeout (HTTP/3: see UpstreamClient).
      // An upstream without HTTP/3 never answers a QUIC handshake: silence, as from an unreachable host.
      if (t instanceof TimeoutException && String.valueOf(t.getMessage()).contains("getting a connection")) {
        return "connect_timeout";
      }
      if (t instanceof TimeoutException) return "timeout";
      if (t instanceof ConnectionPoolTooBusyException) return "pool_busy";
      if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("reset")) return "connection_reset";
    }
    return "other";
  }

  /** A call succeeds with a 2xx; any other answer is a failure of its class (the gateway follows no redirect). */
  static String ofStatus(int status) {
    return status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : status >= 300 ? "http_3xx" : null;
  }
}
