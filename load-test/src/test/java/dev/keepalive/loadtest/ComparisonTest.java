package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * What compare prints after each configuration's run, the baseline its speedup column divides by, and the JIT
 * warm-up's share per configuration. The runs themselves are on real services in CompareSmokeTest.
 */
class ComparisonTest {
  private static final LoadPlan PLAN = new LoadPlan(0, 4, 4, Duration.ofSeconds(2), Duration.ZERO, 100,
      Duration.ofSeconds(10));
  private static final ClientConfig OFF = new ClientConfig("off", false, 10, false, false, 1);
  private static final ClientConfig POOL = new ClientConfig("pool10", true, 10, false, false, 1);
  private static final ClientConfig H2 = new ClientConfig("h2", true, 1, true, false, 1);

  private static RunResult run(String name, long requests, long failed, Map<String, Long> errors,
      ServiceCounts services, List<String> warnings) {
    Histogram h = new Histogram(60_000_000L, 3);
    h.recordValueWithCount(1000, 99);
    h.recordValue(150_000);
    return new RunResult(name, new Target("127.0.0.1", 1, ""), PLAN, 2.0, requests, failed, errors, h, List.of(),
        services, warnings, null);
  }

  private static ServiceCounts opened(long connections) {
    return new ServiceCounts(new ServiceCounts.Gateway(100, 10_000, Map.of(), connections, 0, 0, null,
        new ServiceCounts.Tls(0, 0, null)), null);
  }

  @Test
  void eachRunEndsWithItsCountsP99ConnectionsAndErrors() {
    String nl = System.lineSeparator();
    assertThat(Comparison.outcome(run("a", 12_345, 0, Map.of(), opened(6000), List.of())))
        .isEqualTo("  12,345 requests, 6,172.5 req/s, p99 1.00 ms, 6,000 connections opened" + nl);
    assertThat(Comparison.outcome(run("b", 100, 3, Map.of("http_503", 3L), opened(1), List.of("w1", "w2"))))
        .isEqualTo("  100 requests, 50.0 req/s, p99 1.00 ms, 1 connection opened, 3 errors (http_503 3)" + nl
            + "  warning: w1" + nl + "  warning: w2" + nl);
    assertThat(Comparison.outcome(run("c", 100, 0, Map.of(), null, List.of())))
        .isEqualTo("  100 requests, 50.0 req/s, p99 1.00 ms, connections: n/a opened" + nl);
  }

  @Test
  void theBaselineIsKeepAliveOffWhenItRanElseTheFirst() {
    RunResult a = run("a", 1, 0, Map.of(), null, List.of());
    RunResult b = run("b", 2, 0, Map.of(), null, List.of());
    RunResult c = run("c", 3, 0, Map.of(), null, List.of());
    assertThat(Comparison.baseline(List.of(POOL, OFF, H2), List.of(a, b, c))).isSameAs(b);
    assertThat(Comparison.baseline(List.of(POOL, H2), List.of(a, b))).isSameAs(a);
    assertThat(Comparison.baseline(List.of(), List.of())).isNull();
  }

  @Test
  void theJitWarmUpIsSharedEquallyButAtLeast200MsEach() {
    assertThat(Comparison.warmupShare(Duration.ofSeconds(3), 3)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Comparison.warmupShare(Duration.ofMillis(600), 3)).isEqualTo(Duration.ofMillis(200));
    assertThat(Comparison.warmupShare(Duration.ofMillis(597), 3)).isEqualTo(Duration.ofMillis(200));
    assertThat(Comparison.warmupShare(Duration.ofMillis(300), 6)).isEqualTo(Duration.ofMillis(200));
  }
}
