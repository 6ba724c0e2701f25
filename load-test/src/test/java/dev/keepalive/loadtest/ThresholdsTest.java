package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Each threshold passes at its limit and is breached just above it; what was not measured never passes. */
class ThresholdsTest {

  static RunResult result(long requests, long failed, long p99Micros, ServiceCounts services) {
    Histogram latency = new Histogram(Recording.MAX_MICROS, 3);
    if (p99Micros > 0) {
      latency.recordValue(p99Micros);
    }
    return new RunResult("r", Target.parse("--target", "http://127.0.0.1:1"), RunCommand.DEFAULTS, 1.0, requests, failed,
        Map.of(), latency, List.of(), services, List.of(), null);
  }

  static ServiceCounts gateway(long requests, long opened) {
    return new ServiceCounts(new ServiceCounts.Gateway(requests, requests * 10, Map.of(), opened, 0, 0, null, null), null);
  }

  @Test
  void p99PassesAtTheLimitAndIsBreachedAboveIt() {
    Thresholds t = new Thresholds(Duration.ofMillis(10), null, null);
    // 9 ms: HdrHistogram reports a value as the top of its bucket (9.007 ms here), still within the limit.
    assertThat(t.check(result(1, 0, 9_000, null))).singleElement().satisfies(v -> {
      assertThat(v.passed()).isTrue();
      assertThat(v.message()).isEqualTo("--max-p99 10ms passed: p99 9.0 ms");
    });
    assertThat(t.check(result(1, 0, 10_100, null)).get(0).passed()).isFalse();
    assertThat(t.check(result(1, 0, 0, null)).get(0).passed()).as("no latency measured").isFalse();
    // Below 2048 µs HdrHistogram holds a value exactly: a p99 of exactly 2 ms meets a 2 ms limit, 2.001 ms does not.
    Thresholds two = new Thresholds(Duration.ofMillis(2), null, null);
    assertThat(two.check(result(1, 0, 2_000, null)).get(0).passed()).as("p99 at the limit").isTrue();
    assertThat(two.check(result(1, 0, 2_001, null)).get(0).passed()).isFalse();
  }

  @Test
  void errorRatePassesAtTheLimit() {
    Thresholds t = new Thresholds(null, 0.25, null);
    assertThat(t.check(result(4, 1, 1, null)).get(0).passed()).isTrue();
    Thresholds.Verdict breached = t.check(result(4, 2, 1, null)).get(0);
    assertThat(breached.passed()).isFalse();
    assertThat(breached.message()).isEqualTo("--max-error-rate 0.25 BREACHED: error rate 0.5000 (2 of 4)");
    assertThat(breached.toJson().getString("threshold")).isEqualTo("--max-error-rate");
    assertThat(breached.toJson().getBoolean("passed")).isFalse();
  }

  @Test
  void handshakesPerRequestPassAtTheLimitAndFailWhenNotMeasured() {
    Thresholds t = new Thresholds(null, null, 2.0);
    assertThat(t.check(result(10, 0, 1, gateway(10, 20))).get(0).passed()).isTrue();
    assertThat(t.check(result(10, 0, 1, gateway(10, 21))).get(0).passed()).isFalse();
    Thresholds.Verdict unmeasured = t.check(result(10, 0, 1, null)).get(0);
    assertThat(unmeasured.passed()).isFalse();
    assertThat(unmeasured.actual()).startsWith("not measured");
    assertThat(t.check(result(0, 0, 1, gateway(0, 0))).get(0).passed()).as("no request answered").isFalse();
  }

  @Test
  void onlyTheThresholdsGivenAreChecked() {
    assertThat(Thresholds.none().check(result(1, 1, 1, null))).isEmpty();
    assertThat(new Thresholds(Duration.ofSeconds(1), 0.0, 0.0).check(result(1, 0, 1, gateway(1, 0))))
        .extracting(Thresholds.Verdict::flag)
        .containsExactly("--max-p99", "--max-error-rate", "--max-handshakes-per-request");
  }

  @Test
  void limitsOutsideTheirRangeAreRefused() {
    assertThatThrownBy(() -> new Thresholds(Duration.ZERO, null, null)).hasMessage("Invalid value for --max-p99: must be above 0");
    assertThatThrownBy(() -> new Thresholds(Duration.ofMillis(-1), null, null)).hasMessageContaining("--max-p99");
    assertThatThrownBy(() -> new Thresholds(null, 1.5, null))
        .hasMessage("Invalid value for --max-error-rate: 1.5 (must be between 0 and 1)");
    assertThatThrownBy(() -> new Thresholds(null, -0.1, null)).hasMessageContaining("--max-error-rate");
    assertThatThrownBy(() -> new Thresholds(null, null, -1.0))
        .hasMessage("Invalid value for --max-handshakes-per-request: must be 0 or more");
    assertThat(new Thresholds(Duration.ofNanos(1), 0.0, 0.0)).isNotNull();
    assertThat(new Thresholds(null, 1.0, null)).isNotNull();
  }
}
