package dev.keepalive.gateway;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Names a failed upstream call by what went wrong, for answers and metric labels alike. */
final class FailureKinds {
  private FailureKinds() {}

  static String of(Throwable failure) {
    String tls = tlsKind(failure);
    if (tls != null) {
      return tls;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UpstreamClient.AbandonedCall) return "abandoned";
      if (t instanceof LostResponseEnd.Failure) return "http3_lost_end";
      if (t instanceof ConnectTimeoutException) return "connect_timeout";
      if (t instanceof ConnectException) return "connect_refused";
      if (t instanceof UnknownHostException) return "unknown_host";
      if (t instanceof NoRouteToHostException) return "no_route_to_host";
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

  /**
   * TLS failures, before the rest (Vert.x wraps them): tls_untrusted (the chain or host name did not verify),
   * tls_not_tls (the upstream answered in plain text: an http:// server) or tls_handshake_failed (anything else).
   */
  private static String tlsKind(Throwable failure) {
    boolean ssl = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException) return "tls_untrusted";
      if (t instanceof NotSslRecordException) return "tls_not_tls";
      ssl |= t instanceof SSLException;
    }
    return ssl ? "tls_handshake_failed" : null;
  }

  /** What the answer says about a failure: the exception's message, or what to do for the TLS kinds. */
  static String message(String kind, Throwable failure, boolean firstOnNewConnection, boolean upstreamTls) {
    String raw = String.valueOf(failure.getMessage());
    for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
      raw = raw + ": " + t.getMessage(); // the reason is at the bottom of Vert.x's wrapping
    }
    return switch (kind) {
      case "tls_untrusted" -> "the upstream's certificate is not trusted (give it to --tls-trust): " + raw;
      case "tls_not_tls" -> "the upstream answered in plain text, not TLS: is it an http:// upstream? " + raw;
      case "tls_handshake_failed" -> "TLS handshake with the upstream failed: " + raw;
      // A TLS server drops a connection whose first bytes are not TLS, without a word.
      case "connection_closed" -> firstOnNewConnection && !upstreamTls
          ? "the upstream closed a new connection without answering its first request (does it speak TLS? then "
              + "use an https:// --upstream): " + failure.getMessage()
          : String.valueOf(failure.getMessage());
      default -> String.valueOf(failure.getMessage());
    };
  }

  /** A call succeeds with a 2xx; any other answer is a failure of its class (the gateway follows no redirect). */
  static String ofStatus(int status) {
    return status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : status >= 300 ? "http_3xx" : null;
  }
}
