package dev.keepalive.gateway;

import com.netflix.concurrency.limits.Limit;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A limit algorithm that also knows the fan-out deadline: a fan-out that took more than the latency budget (half
 * the deadline) counts as a drop, so the limit backs off before admitted fan-outs start missing the deadline.
 * Latency-based algorithms alone compare latency with the lowest or the average latency seen, which says nothing
 * about the deadline: when the upstream slows tenfold, Vegas would hold a limit whose fan-outs take longer than it.
 */
final class DeadlineAwareLimit implements Limit {
  private final Limit delegate;
  private final long budgetNanos;

  DeadlineAwareLimit(Limit delegate, Duration deadline) {
    this.delegate = delegate;
    this.budgetNanos = deadline.toNanos() / 2;
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
