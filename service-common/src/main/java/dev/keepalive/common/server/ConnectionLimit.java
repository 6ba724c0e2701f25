package dev.keepalive.common.server;

import java.util.concurrent.atomic.AtomicInteger;

/** Client connections open at once, shared by every event loop of a server; beyond the limit a new one is refused. */
final class ConnectionLimit {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(int max) {
    this.max = max;
  }

  /** @return true when the connection may stay open (call {@link #release} once it closes) */
  boolean tryOpen() {
    while (true) {
      int n = open.get();
      if (max > 0 && n >= max) {
        return false;
      }
      if (open.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }
}
