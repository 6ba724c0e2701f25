package dev.keepalive.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/** Bounds the fan-outs in progress across all event loops: beyond it the gateway sheds load at once. */
final class FanOutLimiter {
  private final int max;
  private final AtomicInteger inProgress = new AtomicInteger();

  FanOutLimiter(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    while (true) {
      int n = inProgress.get();
      if (n >= max) {
        return false;
      }
      if (inProgress.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    inProgress.decrementAndGet();
  }

  int max() {
    return max;
  }
}
