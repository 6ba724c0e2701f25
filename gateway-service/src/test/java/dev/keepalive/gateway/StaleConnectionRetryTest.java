package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The lesson's stale-connection race, for real: the upstream closes connections idle for 1 s without
 * advertising it, the gateway keeps them for 60 s, and bursts arrive about 1 s apart, so a burst can pick
 * connections just as the server's idle timer closes them.
 *
 * <p>How long a connection has been idle when the next burst reaches it depends on how fast this machine
 * runs the burst, so the gap between bursts steers itself onto the server's timeout: when a burst found
 * every connection still open the next gap is longer, when it found them all closed (it opened new ones)
 * the next gap is shorter. Near the timeout some connections close as calls leave on them.
 */
class StaleConnectionRetryTest {
  static final int POOL = 10;
  static final int CALLS_PER_BURST = 24;
  static final int MIN_BURSTS = 8;
  static final int MAX_BURSTS = 40;

  record Run(int bursts, int calls, int failed, long retries) {}

  static Run bursts(boolean retry) {
    try (Stack stack = Stack.start(u -> u.withIdleTimeout(Duration.ofSeconds(1), false),
        c -> c.withKeepAliveTimeout(Duration.ofSeconds(60)).with(b -> {
          b.retry = retry;
          b.poolSize = POOL;
        }))) {
      int calls = 0;
      int failed = 0;
      long retries = 0;
      int bursts = 0;
      long gapMicros = 995_000;
      while (bursts < MAX_BURSTS) {
        JsonObject answer = stack.fanout("?calls=" + CALLS_PER_BURST).json();
        long end = System.nanoTime();
        bursts++;
        calls += answer.getInteger("calls");
        failed += answer.getInteger("failed");
        if (answer.getInteger("failed") > 0) {
          // Lost to the race, and to nothing else.
          assertThat(answer.getJsonObject("errors").fieldNames()).as(answer.encode())
              .isSubsetOf("connection_closed", "connection_reset");
        }
        retries = stack.gatewayMetrics().count("gateway_upstream_retries_total", "reason=\"stale_connection\"");
        if (bursts >= MIN_BURSTS && (failed > 0 || retries > 0)) {
          break;
        }
        int fresh = answer.getInteger("newConnections");
        if (bursts > 1 && fresh == 0) {
          gapMicros += 1_500; // every connection outlived the gap: reach closer to the timeout
        } else if (bursts > 1 && fresh >= POOL) {
          gapMicros -= 1_500; // the server had closed them all: arrive a little earlier
        }
        // The gap is the scenario itself (traffic arriving as idle connections time out), not a wait for a result.
        LockSupport.parkNanos(end + gapMicros * 1_000 - System.nanoTime());
      }
      return new Run(bursts, calls, failed, retries);
    }
  }

  @Test
  void withoutTheRetryTheRaceFailsCalls() {
    Run run = bursts(false);
    System.out.printf("stale keep-alive race without retry: %d of %d calls failed in %d bursts%n", run.failed(),
        run.calls(), run.bursts());
    assertThat(run.failed()).as("calls lost to the stale-connection race").isPositive();
    assertThat(run.retries()).isZero();
  }

  @Test
  void withTheRetryNoCallFails() {
    Run run = bursts(true);
    System.out.printf("stale keep-alive race with retry: %d of %d calls failed in %d bursts, %d retried%n",
        run.failed(), run.calls(), run.bursts(), run.retries());
    assertThat(run.retries()).as("the race happened and was repaired").isPositive();
    assertThat(run.failed()).isZero();
  }
}
