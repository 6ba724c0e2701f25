package dev.keepalive.upstream;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The service time in force now: --delay at start, changeable while running (by the embedding program, e.g. the
 * overload benchmark's slow spell), so a test can slow the upstream down and speed it up again without a restart.
 */
public final class ServiceTime {
  private final AtomicReference<Delay> delay;

  ServiceTime(Delay initial) {
    this.delay = new AtomicReference<>(initial);
  }

  public Delay current() {
    return delay.get();
  }

  public void set(Delay next) {
    delay.set(java.util.Objects.requireNonNull(next));
  }
}
