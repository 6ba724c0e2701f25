package dev.keepalive.gateway;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Adaptive admission: a concurrency limit on fan-outs from Netflix's concurrency-limits, fed with each fan-out's
 * whole latency. When the upstream path (pool, connections, upstream) is saturated, more fan-outs at once only
 * make each one slower, so the latency-based algorithms hold the limit near the point where latency starts to
 * grow; a fan-out that misses its deadline, or takes more than a quarter of it ({@link DeadlineAwareLimit}), counts as
 * a drop and cuts the limit. Whatever is over the limit is refused at once (503), so admitted fan-outs keep
 * finishing in time.
 */
final class AdaptiveAdmission implements FanOutAdmission {
  private final SimpleLimiter<Void> limiter;

  AdaptiveAdmission(AdmissionSettings settings, int ceiling, Duration deadline) {
    this.limiter = SimpleLimiter.newBuilder()
        .named("fanout")
        .limit(new DeadlineAwareLimit(limit(settings, ceiling, deadline), deadline, ceiling))
        .build();
  }

  static Limit limit(AdmissionSettings settings, int ceiling, Duration deadline) {
    int initial = Math.min(settings.initialLimit(), ceiling);
    return switch (settings.algorithm()) {
      // Queue estimate from the lowest latency seen: grows while fan-outs run as fast as alone, shrinks when
      // they queue behind each other (or on a drop). The library's thresholds: lower ones (alpha 1, beta 2) cut the
      // slow spell's 504s but took a slow replica's latency for queueing and shed 3 of 6 parallel fan-outs.
      case VEGAS -> VegasLimit.newBuilder().initialLimit(initial).maxConcurrency(ceiling).build();
      // Short-term against long-term average latency.
      case GRADIENT2 -> Gradient2Limit.newBuilder().initialLimit(initial).minLimit(1).maxConcurrency(ceiling).build();
      // Additive increase until a fan-out takes the latency budget (then halved): reacts to the deadline only.
      case AIMD -> AIMDLimit.newBuilder().initialLimit(initial).minLimit(1).maxLimit(ceiling).backoffRatio(0.5)
          .timeout(deadline.toNanos() / DeadlineAwareLimit.BUDGET_DIVISOR, TimeUnit.NANOSECONDS).build();
    };
  }

  @Override
  public Permit tryAdmit() {
    Optional<Limiter.Listener> listener = limiter.acquire(null);
    return listener.<Permit>map(l -> new Permit() {
      @Override public void succeeded() { l.onSuccess(); }
      @Override public void missedDeadline() { l.onDropped(); }
      @Override public void ignored() { l.onIgnore(); }
    }).orElse(null);
  }

  @Override
  public int limit() {
    return limiter.getLimit();
  }

  @Override
  public int inFlight() {
    return limiter.getInflight();
  }
}
