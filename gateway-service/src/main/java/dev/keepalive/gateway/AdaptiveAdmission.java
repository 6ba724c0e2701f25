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
  // Vegas probes for a new no-load latency every probeMultiplier x limit samples: this many is never.
  static final int NO_PROBE = Integer.MAX_VALUE;

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
      // Two of the library's defaults are changed, because under a steady overload they pushed the limit to where
      // fan-outs take nearly the latency budget (5-7 where 2 fill the pool), and an upstream that slows then
      // catches that many fan-outs in flight: the jump by beta (+6) is kept for no queue at all (threshold 0,
      // not 1 queued fan-out), and the periodic probe, which takes a queued fan-out's latency for the no-load
      // latency whenever the gateway is never idle, is off (the lowest latency seen stays the reference).
      case VEGAS -> VegasLimit.newBuilder().initialLimit(initial).maxConcurrency(ceiling)
          .thresholdFunction(limit -> 0).probeMultiplier(NO_PROBE).build();
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
