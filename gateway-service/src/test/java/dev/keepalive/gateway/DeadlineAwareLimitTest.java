package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deadline-aware wrapper around a limit algorithm: a fan-out slower than a quarter of its deadline counts as a
 * drop, and the limit never goes below 2. Checked on the library's own AIMD limit, which halves on a drop and grows
 * by one on a sample taken while at least half the limit was in flight.
 */
class DeadlineAwareLimitTest {
  private static final Duration DEADLINE = Duration.ofSeconds(4); // a budget of 1 s

  private static AIMDLimit aimd(int initial) {
    return AIMDLimit.newBuilder().initialLimit(initial).minLimit(1).maxLimit(100).backoffRatio(0.5)
        .timeout(1, TimeUnit.HOURS).build();
  }

  @Test
  void aFanOutWithinAQuarterOfItsDeadlineIsASuccess() {
    DeadlineAwareLimit limit = new DeadlineAwareLimit(aimd(10), DEADLINE, 100);
    limit.onSample(0, Duration.ofSeconds(1).toNanos(), 10, false);
    assertThat(limit.getLimit()).as("exactly the budget is still within it").isEqualTo(11);
  }

  @Test
  void aFanOutSlowerThanAQuarterOfItsDeadlineCountsAsADrop() {
    DeadlineAwareLimit limit = new DeadlineAwareLimit(aimd(10), DEADLINE, 100);
    limit.onSample(0, Duration.ofSeconds(1).toNanos() + 1, 10, false);
    assertThat(limit.getLimit()).isEqualTo(5);
  }

  @Test
  void aDropIsADropHoweverFast() {
    DeadlineAwareLimit limit = new DeadlineAwareLimit(aimd(10), DEADLINE, 100);
    limit.onSample(0, 1_000, 10, true);
    assertThat(limit.getLimit()).isEqualTo(5);
  }

  @Test
  void theLimitNeverGoesBelowTwoAndListenersSeeTheFloor() {
    AIMDLimit algorithm = aimd(4);
    DeadlineAwareLimit limit = new DeadlineAwareLimit(algorithm, DEADLINE, 100);
    List<Integer> seen = new ArrayList<>();
    limit.notifyOnChange(seen::add);
    limit.onSample(0, 1_000, 4, true); // 4 -> 2
    limit.onSample(0, 1_000, 4, true); // 2 -> 1
    assertThat(algorithm.getLimit()).as("the algorithm itself").isEqualTo(1);
    assertThat(limit.getLimit()).isEqualTo(2);
    assertThat(seen).containsExactly(2, 2);
  }

  @Test
  void aCeilingOfOneIsAlsoTheFloor() {
    DeadlineAwareLimit limit = new DeadlineAwareLimit(aimd(4), DEADLINE, 1);
    limit.onSample(0, 1_000, 4, true);
    limit.onSample(0, 1_000, 4, true);
    assertThat(limit.getLimit()).isEqualTo(1);
  }
}
