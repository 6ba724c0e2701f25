package dev.keepalive.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/** Fixed admission: at most --max-concurrent-fanouts in progress across all event loops, beyond it shed at once. */
final class FanOutLimiter implements FanOutAdmission {
  private final int max;
  private final AtomicInteger inProgress = new AtomicInteger();
  private final Permit permit = new Permit() {
    @Override public void succeeded() { inProgress.decrementAndGet(); }
    @Override public void missedDeadline() { inProgress.decrementAndGet(); }
    @Override public void ignored() { inProgress.decrementAndGet(); }
  };

  FanOutLimiter(int max) {
    this.max = max;
  }

  @Override
  public Permit tryAdmit() {
    while (true) {
      int n = inProgress.get();
      if (n >= max) {
        return null;
      }
      if (inProgress.compareAndSet(n, n + 1)) {
        return permit;
      }
    }
  }

  @Override
  public int limit() {
    return max;
  }

  @Override
  public int inFlight() {
    return inProgress.get();
  }
}
