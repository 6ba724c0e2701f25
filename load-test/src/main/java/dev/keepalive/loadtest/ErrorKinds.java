package dev.keepalive.loadtest;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Names a failed gateway request by what went wrong: its status code, a timeout, a connect error… */
final class ErrorKinds {
  private ErrorKinds() {}

  static String ofStatus(int status) {
    return "http_" + status;
  }

  static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectTimeoutException) return "connect_timeout";
      if (t instanceof ConnectException) return "connect_refused";
      if (t instanceof UnknownHostException) return "unknown_host";
      if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) return "timeout";
      if (t instanceof HttpClosedException) return "connection_closed";
      if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("reset")) return "connection_reset";
    }
    return "other";
  }
}
