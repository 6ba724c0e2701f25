package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lint rules catch what they should, so a clean dashboard lint means something. */
class PromQlLintTest {
  private static final String M = "job=~\"$job\", instance=~\"$instance\"";

  @Test
  void acceptsRatedCountersWithJobInstanceAndRateInterval() {
    assertThat(PromQlLint.problems("sum by (job) (increase(a_total{" + M + "}[$__rate_interval]))\n/\n"
        + "(sum by (job) (rate(b_total{" + M + ", outcome!=\"success\"}[$__rate_interval])) > 0)")).isEmpty();
    assertThat(PromQlLint.problems("histogram_quantile(0.99, sum by (job, le) (rate(x_seconds_bucket{" + M
        + "}[$__rate_interval])))")).isEmpty();
    assertThat(PromQlLint.problems("sum by (job) (g{" + M + "} offset $__rate_interval) or 0 * max(h{" + M + "})"))
        .isEmpty();
  }

  @Test
  void flagsACounterOutsideRate() {
    assertThat(PromQlLint.problems("sum(a_total{" + M + "})"))
        .anyMatch(p -> p.contains("a_total") && p.contains("counter"));
    assertThat(PromQlLint.problems("max_over_time(a_total{" + M + "}[$__rate_interval])"))
        .anyMatch(p -> p.contains("counter"));
    assertThat(PromQlLint.problems("histogram_quantile(0.5, sum by (le) (x_bucket{" + M + "}))"))
        .anyMatch(p -> p.contains("x_bucket"));
  }

  @Test
  void flagsAFixedRateRange() {
    assertThat(PromQlLint.problems("rate(a_total{" + M + "}[5m])")).anyMatch(p -> p.contains("[5m]"));
  }

  @Test
  void flagsMissingOrWrongJobAndInstanceMatchers() {
    assertThat(PromQlLint.problems("up{job=~\"$job\"}")).anyMatch(p -> p.contains("instance"));
    assertThat(PromQlLint.problems("up{instance=~\"$instance\"}")).anyMatch(p -> p.contains("job"));
    assertThat(PromQlLint.problems("up{job=\"gateway\", instance=~\"$instance\"}")).anyMatch(p -> p.contains("job"));
    assertThat(PromQlLint.problems("up")).hasSize(2);
    // Every selector counts, not only the first one.
    assertThat(PromQlLint.problems("up{" + M + "} / on (job) group_left up")).hasSize(2);
  }

  @Test
  void flagsUnbalancedExpressions() {
    assertThat(PromQlLint.problems("sum(rate(a_total{" + M + "}[$__rate_interval])")).isNotEmpty();
  }
}
