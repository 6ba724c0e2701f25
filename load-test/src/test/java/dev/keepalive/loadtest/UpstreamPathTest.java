package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loopback TCP connect the set-up prediction adds, measured against a real listener. */
class UpstreamPathTest {

  @Test
  void theConnectCostIsTheMedianOfSevenRealConnects() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
        int n = 0;
        try {
          for (; n < UpstreamPath.CONNECT_SAMPLES; n++) {
            try (Socket s = listener.accept()) {
              // accepted and closed
            }
          }
        } catch (Exception e) {
          // the listener closed early: n says how many came
        }
        return n;
      });
      UpstreamPath before = new UpstreamPath(Duration.ofMillis(20), Duration.ZERO);
      long t0 = System.nanoTime();
      UpstreamPath measured = before.measuredTo("127.0.0.1", listener.getLocalPort());
      long took = System.nanoTime() - t0;

      assertThat(accepted.get(10, TimeUnit.SECONDS)).as("one connection per sample").isEqualTo(7);
      // A connect takes some time, and no single one can take longer than the seven together.
      assertThat(measured.loopbackConnectNanos()).isPositive().isLessThanOrEqualTo(took);
      assertThat(measured.rtt()).isEqualTo(before.rtt());
      assertThat(measured.handshakeNanos()).isEqualTo(20_000_000 + measured.loopbackConnectNanos());
    }
  }

  @Test
  void anUpstreamThatCannotBeReachedIsNamed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> new UpstreamPath(Duration.ZERO, Duration.ZERO).measuredTo("127.0.0.1", port))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot connect to the upstream at 127.0.0.1:" + port);
  }

  @Test
  void theMedianIsTheMiddleSampleInOrder() {
    assertThat(UpstreamPath.median(new long[] {70, 10, 60, 20, 50, 30, 40})).isEqualTo(40);
    assertThat(UpstreamPath.median(new long[] {5, 900, 1, 1, 1, 800, 700})).isEqualTo(5);
  }
}
