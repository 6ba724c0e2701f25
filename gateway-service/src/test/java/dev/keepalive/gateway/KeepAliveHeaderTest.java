package dev.keepalive.gateway;

import static dev.keepalive.gateway.ConnectionTracker.NO_HINT;
import static dev.keepalive.gateway.ConnectionTracker.keepAliveTimeoutNanos;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout an upstream advertises in "Keep-Alive: timeout=N[, max=M]" (RFC 9112's keep-alive, as Node and
 * Apache send it), which decides whether an idle close was the gateway honouring it (local) or the upstream's
 * (remote). KeepAliveTimeoutTest shows both on loopback; the upstream there sends "timeout=N" only.
 */
class KeepAliveHeaderTest {
  private static long seconds(long s) {
    return Duration.ofSeconds(s).toNanos();
  }

  @Test
  void theTimeoutIsReadWhereverItStandsAndEndsAtACommaOrASpace() {
    assertThat(keepAliveTimeoutNanos("timeout=5")).isEqualTo(seconds(5));
    assertThat(keepAliveTimeoutNanos("timeout=5, max=1000")).isEqualTo(seconds(5));
    assertThat(keepAliveTimeoutNanos("timeout=3,max=1")).isEqualTo(seconds(3));
    assertThat(keepAliveTimeoutNanos("timeout=2 max=3")).isEqualTo(seconds(2));
    assertThat(keepAliveTimeoutNanos("max=1000, timeout=7")).isEqualTo(seconds(7));
    assertThat(keepAliveTimeoutNanos("timeout=0")).isZero();
  }

  @Test
  void aHeaderWithoutAUsableTimeoutSaysNothing() {
    assertThat(keepAliveTimeoutNanos("max=100")).isEqualTo(NO_HINT);
    assertThat(keepAliveTimeoutNanos("")).isEqualTo(NO_HINT);
    assertThat(keepAliveTimeoutNanos("timeout=")).isEqualTo(NO_HINT);
    assertThat(keepAliveTimeoutNanos("timeout=soon")).isEqualTo(NO_HINT);
    assertThat(keepAliveTimeoutNanos("timeout=, max=5")).isEqualTo(NO_HINT);
    // Seconds beyond what nanoseconds hold.
    assertThat(keepAliveTimeoutNanos("timeout=" + Long.MAX_VALUE)).isEqualTo(NO_HINT);
  }
}
