package dev.keepalive.gateway;

import com.netflix.concurrency.limits.Limit;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A limit algorithm that also knows the fan-out deadline: a fan-out that took more than the latency budget (a
 * quarter of the deadline) counts as a drop, so the limit backs off while admitted fan-outs still have three
 * quarters of their deadline to spare. Latency-based algorithms alone compare latency with the lowest or the
 * average latency seen, which says nothing about the deadline: Vegas settles where about 3 to 6 fan-outs queue, so
 * when one fan-out alone takes a second (a slow upstream, a starved CPU) its limit admits fan-outs that take 5 s.
 * Measured with half the deadline as the budget: 504s while the limit came back down; with a quarter, none.
 */
final class DeadlineAwareLimit implements Limit {
  /** The latency budget is the deadline divided by this. */
  static final int BUDGET_DIVISOR = 4;

  private final Limit delegate;
  private final long budgetNanos;
  // Never below 2 (unless the ceiling is 1): one fan-out fills the pool, but alone it leaves the pool idle between
  // its answer and the next admitted arrival; measured at limit 1 on a starved CPU, seconds went without a success.
  private final int floor;

  DeadlineAwareLimit(Limit delegate, Duration deadline, int ceiling) {
    this.delegate = delegate;
    this.budgetNanos = deadline.toNanos() / BUDGET_DIVISOR;
    this.floor = Math.min(2, ceiling);
  }

  @Override
  public int getLimit() {
    return Math.max(floor, delegate.getLimit());
  }

  @Override
  public void notifyOnChange(Consumer<Integer> consumer) {
    delegate.notifyOnChange(limit -> consumer.accept(Math.max(floor, limit)));
  }

  @Override
  public void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
    delegate.onSample(startTime, rtt, inflight, didDrop || rtt > budgetNanos);
  }
}
