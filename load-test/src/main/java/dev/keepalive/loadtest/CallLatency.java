package dev.keepalive.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's per-call latency over a window, from two scrapes of its
 * {@code gateway_upstream_request_duration_seconds} histogram: the difference of the cumulative bucket
 * counts, and quantiles interpolated within a bucket as Prometheus' histogram_quantile does. A
 * quantile is therefore as fine as the buckets around it (see MetricsRegistries).
 */
record CallLatency(long count, double sumSeconds, double p50Seconds, double p99Seconds) {
  static final String FAMILY = "gateway_upstream_request_duration_seconds";

  /** null when the gateway exports no such histogram, or made no call in the window. */
  static CallLatency between(PrometheusText before, PrometheusText after) {
    if (!after.has(FAMILY + "_bucket")) {
      return null;
    }
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Map<String, Double> start = before.byLabel(FAMILY + "_bucket", "le");
    after.byLabel(FAMILY + "_bucket", "le").forEach((le, value) ->
        buckets.put(Double.parseDouble(le.replace("+Inf", "Infinity")), value - start.getOrDefault(le, 0.0)));
    long count = Math.round(after.sum(FAMILY + "_count") - before.sum(FAMILY + "_count"));
    if (count <= 0) {
      return null;
    }
    double sum = after.sum(FAMILY + "_sum") - before.sum(FAMILY + "_sum");
    return new CallLatency(count, sum, quantile(0.5, buckets), quantile(0.99, buckets));
  }

  /** histogram_quantile: find the bucket holding the rank, interpolate linearly inside it. */
  static double quantile(double q, TreeMap<Double, Double> cumulative) {
    if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
      return Double.NaN;
    }
    double rank = q * cumulative.lastEntry().getValue();
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return lowerBound; // above the highest finite bucket: its bound is all that is known
        }
        double inBucket = b.getValue() - lowerCount;
        return inBucket <= 0 ? b.getKey() : lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = b.getKey();
      lowerCount = b.getValue();
    }
    return lowerBound;
  }

  JsonObject toJson() {
    return new JsonObject().put("count", count).put("totalSeconds", RunResult.round(sumSeconds))
        .put("p50Ms", RunResult.round(p50Seconds * 1000)).put("p99Ms", RunResult.round(p99Seconds * 1000));
  }
}
