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

  DeadlineAwareLimit(Limit delegate, Duration deadline) {
    this.delegate = delegate;
    this.budgetNanos = deadline.toNanos() / BUDGET_DIVISOR;
  }

  @Override
  public int getLimit() {
    return delegate.getLimit();
  }

  @Override
  public void notifyOnChange(Consumer<Integer> consumer) {
    delegate.notifyOnChange(consumer);
  }

  @Override
  public void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
    delegate.onSample(startTime, rtt, inflight, didDrop || rtt > budgetNanos);
  }
}
