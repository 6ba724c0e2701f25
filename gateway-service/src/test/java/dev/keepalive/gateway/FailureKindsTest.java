package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The names answers and metrics give a failed call, from the exceptions Vert.x and Netty raise. (The loopback tests
 * produce most of them for real; this pins every branch, causes included.)
 */
class FailureKindsTest {

  @Test
  void eachFailureHasItsKind() {
    assertThat(FailureKinds.of(new UpstreamClient.AbandonedCall())).isEqualTo("abandoned");
    assertThat(FailureKinds.of(new ConnectTimeoutException("connection timed out"))).isEqualTo("connect_timeout");
    assertThat(FailureKinds.of(new ConnectException("Connection refused"))).isEqualTo("connect_refused");
    assertThat(FailureKinds.of(new UnknownHostException("nowhere"))).isEqualTo("unknown_host");
    assertThat(FailureKinds.of(new NoRouteToHostException("No route to host"))).isEqualTo("no_route_to_host");
    assertThat(FailureKinds.of(new HttpClosedException(new GoAway().setLastStreamId(9)))).isEqualTo("refused_stream");
    assertThat(FailureKinds.of(new StreamResetException(7))).isEqualTo("refused_stream");
    assertThat(FailureKinds.of(new StreamResetException(8))).as("CANCEL is not a refusal").isEqualTo("other");
    assertThat(FailureKinds.of(new HttpClosedException("Connection was closed"))).isEqualTo("connection_closed");
    assertThat(FailureKinds.of(new TimeoutException("idle"))).isEqualTo("timeout");
    assertThat(FailureKinds.of(new ConnectionPoolTooBusyException("full"))).isEqualTo("pool_busy");
    assertThat(FailureKinds.of(new IOException("Connection reset by peer"))).isEqualTo("connection_reset");
    assertThat(FailureKinds.of(new IOException("Broken pipe"))).isEqualTo("other");
    assertThat(FailureKinds.of(new IOException((String) null))).isEqualTo("other");
    assertThat(FailureKinds.of(new IllegalStateException("reset"))).as("only an I/O error is a reset").isEqualTo("other");
  }

  @Test
  void tlsFailuresAreNamedBeforeTheRestWhereverTheyAreAmongTheCauses() {
    assertThat(FailureKinds.of(new SSLHandshakeException("Received fatal alert: handshake_failure")))
        .isEqualTo("tls_handshake_failed");
    assertThat(FailureKinds.of(new VertxException(new SSLException("closed during handshake"))))
        .isEqualTo("tls_handshake_failed");
    // An untrusted chain under the SSLException that carries it.
    assertThat(FailureKinds.of(new VertxException(untrustedChain()))).isEqualTo("tls_untrusted");
    assertThat(FailureKinds.of(new SSLException("x", new CertPathBuilderException("unable to find a path"))))
        .isEqualTo("tls_untrusted");
    assertThat(FailureKinds.of(new CertPathValidatorException("expired"))).isEqualTo("tls_untrusted");
    assertThat(FailureKinds.of(new NotSslRecordException("not an SSL/TLS record"))).isEqualTo("tls_not_tls");
    // A connection closed during a TLS handshake is the handshake's failure, not a plain close.
    assertThat(FailureKinds.of(new ConnectException("refused").initCause(new SSLException("x"))))
        .isEqualTo("tls_handshake_failed");
  }

  @Test
  void theMessageSaysWhatToDoForTheTlsKindsAndEndsWithEveryCause() {
    assertThat(FailureKinds.message("tls_untrusted", untrustedChain(), true, true)).isEqualTo(
        "the upstream's certificate is not trusted (give it to --tls-trust): PKIX path building failed: no trusted certificate");
    assertThat(FailureKinds.message("tls_not_tls", new NotSslRecordException("not an SSL/TLS record"), true, true))
        .isEqualTo("the upstream answered in plain text, not TLS: is it an http:// upstream? not an SSL/TLS record");
    assertThat(FailureKinds.message("tls_handshake_failed", new SSLException("handshake_failure"), true, true))
        .isEqualTo("TLS handshake with the upstream failed: handshake_failure");
    assertThat(FailureKinds.message("timeout", new TimeoutException("no answer"), true, false)).isEqualTo("no answer");
  }

  @Test
  void aNewPlainConnectionClosedUnansweredAsksWhetherTheUpstreamSpeaksTls() {
    HttpClosedException closed = new HttpClosedException("Connection was closed");
    assertThat(FailureKinds.message("connection_closed", closed, true, false)).isEqualTo("the upstream closed a new "
        + "connection without answering its first request (does it speak TLS? then use an https:// --upstream): "
        + "Connection was closed");
    assertThat(FailureKinds.message("connection_closed", closed, false, false)).as("a reused connection")
        .isEqualTo("Connection was closed");
    assertThat(FailureKinds.message("connection_closed", closed, true, true)).as("already over TLS")
        .isEqualTo("Connection was closed");
  }

  private static Throwable untrustedChain() {
    return new SSLHandshakeException("PKIX path building failed").initCause(new CertificateException("no trusted certificate"));
  }

  @Test
  void theKindIsFoundAmongTheCauses() {
    assertThat(FailureKinds.of(new VertxException(new RuntimeException(new ConnectException("refused"))))).isEqualTo("connect_refused");
    assertThat(FailureKinds.of(new VertxException("wrapper", new TimeoutException("t")))).isEqualTo("timeout");
  }

  @Test
  void aCallSucceedsOnlyWithA2xx() {
    assertThat(FailureKinds.ofStatus(200)).isNull();
    assertThat(FailureKinds.ofStatus(204)).isNull();
    assertThat(FailureKinds.ofStatus(299)).isNull();
    assertThat(FailureKinds.ofStatus(300)).isEqualTo("http_3xx");
    assertThat(FailureKinds.ofStatus(399)).isEqualTo("http_3xx");
    assertThat(FailureKinds.ofStatus(400)).isEqualTo("http_4xx");
    assertThat(FailureKinds.ofStatus(499)).isEqualTo("http_4xx");
    assertThat(FailureKinds.ofStatus(500)).isEqualTo("http_5xx");
    assertThat(FailureKinds.ofStatus(503)).isEqualTo("http_5xx");
  }

  @Test
  void theLimiterAdmitsUpToItsMaximumAndAgainAfterARelease() {
    FanOutLimiter limiter = new FanOutLimiter(2);
    assertThat(limiter.limit()).isEqualTo(2);
    FanOutAdmission.Permit first = limiter.tryAdmit();
    assertThat(first).isNotNull();
    assertThat(limiter.tryAdmit()).isNotNull();
    assertThat(limiter.tryAdmit()).isNull();
    assertThat(limiter.inFlight()).isEqualTo(2);
    first.succeeded();
    assertThat(limiter.tryAdmit()).isNotNull();
    assertThat(limiter.tryAdmit()).isNull();
  }
}
