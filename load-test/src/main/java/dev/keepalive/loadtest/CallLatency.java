package dev.keepalive.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's per-call latency over a window, from two scrapes of its
 * {@code gateway_upstream_request_duration_seconds} histogram: the difference of the cumulative bucket
 * counts, and quantiles interpolated within a bucket as Prometheus' histogram_quantile does. A
 * quantile is therefore as fine as the buckets around it (see MetricsRegistries).
 *
 * @param queueSeconds of the calls' total time, what they spent waiting for a connection in the HTTP client's
 *     pool (Vert.x's {@code vertx_pool_queue_time_seconds}); 0 when not exported
 */
record CallLatency(long count, double sumSeconds, double p50Seconds, double p99Seconds, double queueSeconds) {
  static final String FAMILY = "gateway_upstream_request_duration_seconds";
  static final String POOL_QUEUE = "vertx_pool_queue_time_seconds_sum";

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
    double queue = after.byLabel(POOL_QUEUE, "pool_type").getOrDefault("http", 0.0)
        - before.byLabel(POOL_QUEUE, "pool_type").getOrDefault("http", 0.0);
    return new CallLatency(count, sum, quantile(0.5, buckets), quantile(0.99, buckets), Math.max(0, queue));
  }

  /** The calls' time on a connection: their total less what they waited in the pool for one. */
  double onConnectionSeconds() {
    return sumSeconds - queueSeconds;
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
        .put("poolWaitSeconds", RunResult.round(queueSeconds))
        .put("p50Ms", RunResult.round(p50Seconds * 1000)).put("p99Ms", RunResult.round(p99Seconds * 1000));
  }
}
