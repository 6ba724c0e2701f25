package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The error kinds a run reports (its "errors" object and summary line), named from the failure the client saw. */
class ErrorKindsTest {

  @Test
  void eachFailureIsNamedByWhatWentWrong() {
    // A connect timeout is a ConnectException too: it is named for the timeout.
    assertThat(ErrorKinds.of(new ConnectTimeoutException("connection timed out: /127.0.0.1:1"))).isEqualTo("connect_timeout");
    assertThat(ErrorKinds.of(new ConnectException("Connection refused"))).isEqualTo("connect_refused");
    assertThat(ErrorKinds.of(new UnknownHostException("nowhere.invalid"))).isEqualTo("unknown_host");
    assertThat(ErrorKinds.of(new TimeoutException("idle timeout"))).isEqualTo("timeout");
    assertThat(ErrorKinds.of(ReadTimeoutException.INSTANCE)).isEqualTo("timeout");
    assertThat(ErrorKinds.of(new HttpClosedException("Connection was closed"))).isEqualTo("connection_closed");
    assertThat(ErrorKinds.of(new IOException("Connection reset by peer"))).isEqualTo("connection_reset");
  }

  @Test
  void theCauseChainIsSearchedForTheFirstNamedFailure() {
    assertThat(ErrorKinds.of(new VertxException(new RuntimeException(new ConnectException("Connection refused")))))
        .isEqualTo("connect_refused");
    assertThat(ErrorKinds.of(new RuntimeException("wrapped", new IOException("Connection reset by peer"))))
        .isEqualTo("connection_reset");
    // The outermost named failure wins.
    assertThat(ErrorKinds.of(new TimeoutException() {
      @Override
      public synchronized Throwable getCause() {
        return new ConnectException("refused later");
      }
    })).isEqualTo("timeout");
  }

  @Test
  void anythingElseIsOther() {
    assertThat(ErrorKinds.of(new IOException("Broken pipe"))).isEqualTo("other");
    assertThat(ErrorKinds.of(new IOException())).as("no message").isEqualTo("other");
    assertThat(ErrorKinds.of(new IllegalStateException("reset"))).as("not an I/O failure").isEqualTo("other");
    assertThat(ErrorKinds.of(new RuntimeException(new IllegalArgumentException("bad")))).isEqualTo("other");
  }

  @Test
  void aStatusIsNamedByItsCode() {
    assertThat(ErrorKinds.ofStatus(503)).isEqualTo("http_503");
    assertThat(ErrorKinds.ofStatus(404)).isEqualTo("http_404");
  }
}
