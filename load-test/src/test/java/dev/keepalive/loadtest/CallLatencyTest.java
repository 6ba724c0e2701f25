package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Per-call quantiles as Prometheus' histogram_quantile computes them, from known cumulative bucket counts; and the
 * window's figures from two scrapes of the gateway's histogram. The end-to-end figures are in RunCountsTest.
 */
class CallLatencyTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static TreeMap<Double, Double> buckets(double... boundAndCount) {
    TreeMap<Double, Double> b = new TreeMap<>();
    for (int i = 0; i < boundAndCount.length; i += 2) {
      b.put(boundAndCount[i], boundAndCount[i + 1]);
    }
    return b;
  }

  /** 100 calls: none up to 10 ms, 50 up to 20 ms, 40 more up to 50 ms, the last 10 up to 100 ms. */
  private static final TreeMap<Double, Double> HUNDRED = buckets(0.01, 0, 0.02, 50, 0.05, 90, 0.1, 100, INF, 100);

  @Test
  void aQuantileIsInterpolatedLinearlyInsideTheBucketHoldingItsRank() {
    // Rank 25 of the 50 between 10 and 20 ms: halfway, 15 ms.
    assertThat(CallLatency.quantile(0.25, HUNDRED)).isCloseTo(0.015, within(1e-12));
    // Rank 50: the top of the 20 ms bucket.
    assertThat(CallLatency.quantile(0.5, HUNDRED)).isCloseTo(0.02, within(1e-12));
    // Rank 70: 20 of the 40 between 20 and 50 ms.
    assertThat(CallLatency.quantile(0.7, HUNDRED)).isCloseTo(0.035, within(1e-12));
    // Rank 99: 9 of the 10 between 50 and 100 ms.
    assertThat(CallLatency.quantile(0.99, HUNDRED)).isCloseTo(0.095, within(1e-12));
    assertThat(CallLatency.quantile(1.0, HUNDRED)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void theFirstBucketStartsAtZero() {
    // 10 calls all up to 100 ms: the median is read as 50 ms, the lower bound being 0.
    assertThat(CallLatency.quantile(0.5, buckets(0.1, 10, INF, 10))).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void aRankOnABucketsTopIsThatBucketsBoundNotTheNextOnes() {
    // 50 up to 20 ms, none more up to 50 ms, 50 above: the median is 20 ms (the rank is reached there).
    assertThat(CallLatency.quantile(0.5, buckets(0.01, 0, 0.02, 50, 0.05, 50, INF, 100))).isCloseTo(0.02, within(1e-12));
  }

  @Test
  void aboveTheHighestFiniteBucketItsBoundIsAllThatIsKnown() {
    // 10 of 20 calls above 100 ms: p99 is reported as 100 ms, not infinity.
    assertThat(CallLatency.quantile(0.99, buckets(0.05, 5, 0.1, 10, INF, 20))).isEqualTo(0.1);
    // The rank inside the +Inf bucket even when every call is there.
    assertThat(CallLatency.quantile(0.5, buckets(0.1, 0, INF, 4))).isEqualTo(0.1);
  }

  @Test
  void aRankAtAnEmptyBucketIsItsBound() {
    // Quantile 0: rank 0, reached by the first bucket although it holds no call; its bound, not 0/0.
    assertThat(CallLatency.quantile(0, buckets(0.1, 0, 0.2, 5, INF, 5))).isEqualTo(0.1);
  }

  @Test
  void withoutCallsThereIsNoQuantile() {
    assertThat(CallLatency.quantile(0.5, new TreeMap<>())).isNaN();
    assertThat(CallLatency.quantile(0.5, buckets(0.1, 0, INF, 0))).isNaN();
    assertThat(CallLatency.quantile(0.5, buckets(0.1, 3, INF, -1))).isNaN();
  }

  private static final String FAMILY = "gateway_upstream_request_duration_seconds";

  private static String scrape(double le10ms, double le100ms, double inf, double sum, double poolQueue) {
    return FAMILY + "_bucket{le=\"0.01\"} " + le10ms + "\n"
        + FAMILY + "_bucket{le=\"0.1\"} " + le100ms + "\n"
        + FAMILY + "_bucket{le=\"+Inf\"} " + inf + "\n"
        + FAMILY + "_count " + inf + "\n"
        + FAMILY + "_sum " + sum + "\n"
        + "vertx_pool_queue_time_seconds_sum{pool_type=\"http\"} " + poolQueue + "\n"
        + "vertx_pool_queue_time_seconds_sum{pool_type=\"other\"} 99\n";
  }

  @Test
  void theWindowIsTheDifferenceOfTwoScrapes() {
    // Before: 10 calls, all under 10 ms. After: 110 calls; in the window 100: 40 under 10 ms, 50 more under 100 ms,
    // 10 above.
    PrometheusText before = PrometheusText.parse(scrape(10, 10, 10, 0.05, 0.25));
    PrometheusText after = PrometheusText.parse(scrape(50, 100, 110, 3.05, 1.25));
    CallLatency c = CallLatency.between(before, after);

    assertThat(c.count()).isEqualTo(100);
    assertThat(c.sumSeconds()).isCloseTo(3.0, within(1e-9));
    assertThat(c.queueSeconds()).isCloseTo(1.0, within(1e-9));
    assertThat(c.onConnectionSeconds()).isCloseTo(2.0, within(1e-9));
    // Rank 50: 10 of the 50 between 10 and 100 ms: 10 + 90 × 10/50 = 28 ms.
    assertThat(c.p50Seconds()).isCloseTo(0.028, within(1e-12));
    assertThat(c.p99Seconds()).isEqualTo(0.1);

    JsonObject j = c.toJson();
    assertThat(j.getLong("count")).isEqualTo(100);
    assertThat(j.getDouble("totalSeconds")).isEqualTo(3.0);
    assertThat(j.getDouble("poolWaitSeconds")).isEqualTo(1.0);
    assertThat(j.getDouble("p50Ms")).isEqualTo(28.0);
    assertThat(j.getDouble("p99Ms")).isEqualTo(100.0);
  }

  @Test
  void aBucketTheFirstScrapeLackedCountsFromZeroAndThePoolWaitIsNeverNegative() {
    PrometheusText before = PrometheusText.parse(FAMILY + "_count 0\n"
        + "vertx_pool_queue_time_seconds_sum{pool_type=\"http\"} 5\n");
    PrometheusText after = PrometheusText.parse(FAMILY + "_bucket{le=\"0.1\"} 4\n" + FAMILY + "_bucket{le=\"+Inf\"} 4\n"
        + FAMILY + "_count 4\n" + FAMILY + "_sum 0.2\n");
    CallLatency c = CallLatency.between(before, after);

    assertThat(c.count()).isEqualTo(4);
    assertThat(c.p50Seconds()).isCloseTo(0.05, within(1e-12));
    assertThat(c.queueSeconds()).isZero();
    assertThat(c.onConnectionSeconds()).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void noHistogramOrNoCallInTheWindowIsNoLatency() {
    PrometheusText none = PrometheusText.parse("gateway_fanout_requests_total 3\n");
    assertThat(CallLatency.between(none, none)).isNull();
    PrometheusText same = PrometheusText.parse(scrape(1, 2, 2, 0.01, 0));
    assertThat(CallLatency.between(same, same)).as("no call between the scrapes").isNull();
    // One call in the window is enough.
    assertThat(CallLatency.between(same, PrometheusText.parse(scrape(1, 3, 3, 0.06, 0))).count()).isEqualTo(1);
  }
}
