package dev.keepalive.observability;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes: no fixed sleeps in the live tests. */
final class Await {
  private Await() {}

  static void until(String what, Duration within, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(condition.call())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + within + " waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  /** Like until, but returns quietly at the deadline: the caller asserts on what it last saw. */
  static boolean tryUntil(Duration within, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!Boolean.TRUE.equals(condition.call())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(250);
    }
    return true;
  }
}
