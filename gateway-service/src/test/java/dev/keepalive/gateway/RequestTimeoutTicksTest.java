package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The request-timeout sweep's arithmetic: a call fails never before --request-timeout and at most two sweep periods
 * after it, wherever between two sweeps it was sent. Simulated in milliseconds: sweep n runs at n * period; a call
 * sent at s is stamped with the last tick before it (Vert.x runs the sweep and the sends on one event loop).
 */
class RequestTimeoutTicksTest {

  @Test
  void aCallFailsNeverBeforeTheTimeoutAndAtMostTwoPeriodsAfter() {
    for (long timeoutMs : new long[] {1, 3, 4, 7, 100, 250, 399, 400, 401, 1000, 2000, 30_000}) {
      RequestTimeoutTicks ticks = new RequestTimeoutTicks(Duration.ofMillis(timeoutMs));
      long period = ticks.periodMillis();
      for (int sentAtTick = 0; sentAtTick < 3; sentAtTick++) {
        // Sent just after its tick, and just before the next one (the two ends of the interval).
        for (long sentAt : new long[] {sentAtTick * period, (sentAtTick + 1) * period - 1}) {
          long failedAt = firstOverdueTick(ticks, sentAtTick) * period;
          assertThat(failedAt - sentAt).as("timeout %d ms, sent at %d ms", timeoutMs, sentAt)
              .isGreaterThanOrEqualTo(timeoutMs)
              .isLessThanOrEqualTo(timeoutMs + 2 * period);
        }
      }
    }
  }

  @Test
  void thePeriodIsAQuarterOfTheTimeoutAtMostAHundredMillisecondsAtLeastOne() {
    assertThat(new RequestTimeoutTicks(Duration.ofSeconds(2)).periodMillis()).isEqualTo(100);
    assertThat(new RequestTimeoutTicks(Duration.ofMillis(400)).periodMillis()).isEqualTo(100);
    assertThat(new RequestTimeoutTicks(Duration.ofMillis(200)).periodMillis()).isEqualTo(50);
    assertThat(new RequestTimeoutTicks(Duration.ofMillis(3)).periodMillis()).isEqualTo(1);
  }

  @Test
  void aTimeoutOfOneSecondFailsAtTheEleventhSweepAfterTheStamp() {
    RequestTimeoutTicks ticks = new RequestTimeoutTicks(Duration.ofSeconds(1));
    assertThat(ticks.overdue(10, 0)).isFalse();
    assertThat(ticks.overdue(11, 0)).isTrue();
    assertThat(ticks.overdue(Integer.MIN_VALUE + 5, Integer.MAX_VALUE - 5)).as("the tick counter wrapping around").isTrue();
  }

  @Test
  void aVeryLongTimeoutNeverOverflows() {
    RequestTimeoutTicks ticks = new RequestTimeoutTicks(Duration.ofDays(365_000));
    assertThat(ticks.overdue(1_000_000, 0)).isFalse();
  }

  private static int firstOverdueTick(RequestTimeoutTicks ticks, int sentAtTick) {
    for (int now = sentAtTick; now < sentAtTick + 100_000; now++) {
      if (ticks.overdue(now, sentAtTick)) {
        return now;
      }
    }
    throw new AssertionError("never overdue");
  }
}
