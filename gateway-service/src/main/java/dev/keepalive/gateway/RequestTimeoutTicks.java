package dev.keepalive.gateway;

import java.time.Duration;

/**
 * --request-timeout without a timer per call: each lane's client sweeps its calls in flight every
 * {@link #periodMillis()} and gives up on a call once it is {@link #overdue}. A call is stamped with the sweep tick
 * before it was sent, so it was sent between that tick and the next: it fails never before --request-timeout, at most
 * two periods after it.
 */
final class RequestTimeoutTicks {
  /** How often each lane looks for calls that waited longer than --request-timeout for their answer. */
  static final long MAX_PERIOD_MS = 100;

  private final long periodMillis;
  private final int ticks;

  RequestTimeoutTicks(Duration requestTimeout) {
    long timeout = requestTimeout.toMillis();
    // Short timeouts get a shorter period, so that the two periods of slack stay a fraction of the timeout.
    this.periodMillis = Math.max(1, Math.min(MAX_PERIOD_MS, timeout / 4));
    this.ticks = (int) Math.min(Integer.MAX_VALUE / 2, (timeout + periodMillis - 1) / periodMillis + 1);
  }

  long periodMillis() {
    return periodMillis;
  }

  /** True when the sweep at tick {@code now} should give up on a call stamped with {@code sentAtTick}. */
  boolean overdue(int now, int sentAtTick) {
    return now - sentAtTick > ticks - 1;
  }
}
