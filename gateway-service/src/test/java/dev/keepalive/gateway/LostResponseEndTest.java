package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When the request-timeout sweep gives up on an HTTP/3 response whose end never came: at the first sweep at least
 * the bound (the shorter of 1 s and --request-timeout) after the headers, never earlier. Headers noted at tick h
 * arrived between sweeps h and h+1, so the sweep at tick n is at least (n - h - 1) periods after them.
 */
class LostResponseEndTest {

  @Test
  void aLongRequestTimeoutIsCappedAtOneSecond() {
    LostResponseEnd lost = new LostResponseEnd(Duration.ofSeconds(10), 100);
    assertThat(firstOverdueTick(lost, 40)).as("11 ticks after the headers: at least 10 periods = 1 s").isEqualTo(51);
    assertThat(lost.failure("/item/7").getMessage())
        .isEqualTo("HTTP/3 response headers of /item/7 arrived but not its end within 1s (a Vert.x 5.1.6 defect, docs/http3.md)");
  }

  @Test
  void aShorterRequestTimeoutIsTheBoundAndItIsRoundedUpToWholePeriods() {
    LostResponseEnd lost = new LostResponseEnd(Duration.ofMillis(250), 100);
    // 250 ms is 3 periods rounded up, so the end is lost at the 4th sweep: at least 300 ms after the headers.
    assertThat(firstOverdueTick(lost, 0)).isEqualTo(4);
    assertThat(lost.failure("/item/1").getMessage()).contains("within 250ms");
  }

  @Test
  void anExactMultipleOfThePeriodIsNotRoundedFurther() {
    LostResponseEnd lost = new LostResponseEnd(Duration.ofMillis(300), 100);
    assertThat(firstOverdueTick(lost, 5)).isEqualTo(9);
  }

  @Test
  void exactlyOneSecondIsTheCapItself() {
    assertThat(firstOverdueTick(new LostResponseEnd(Duration.ofSeconds(1), 50), 0)).isEqualTo(21);
  }

  private static int firstOverdueTick(LostResponseEnd lost, int headersAtTick) {
    for (int now = headersAtTick; now < headersAtTick + 1000; now++) {
      if (lost.overdue(now, headersAtTick)) {
        return now;
      }
    }
    throw new AssertionError("never overdue");
  }
}
