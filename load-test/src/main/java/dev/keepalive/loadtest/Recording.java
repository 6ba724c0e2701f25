package dev.keepalive.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one phase of a run measured: request outcomes, the latency histogram (microseconds) and a
 * timeline cut into intervals by {@link #tick}. Synchronized: the driver's event loop records while the
 * caller may read the totals.
 */
final class Recording {
  /** One hour in microseconds: anything slower is clamped rather than lost. */
  static final long MAX_MICROS = 3_600_000_000L;

  /** One interval of the timeline; latencies in milliseconds, t in seconds since the phase started. */
  record Interval(double t, long requests, long errors, double p50Ms, double p99Ms, double maxMs, long newConnections,
      long totalRequests, long totalNewConnections) {}

  private final long startNanos;
  private final Histogram total = new Histogram(MAX_MICROS, 3);
  private final Histogram interval = new Histogram(MAX_MICROS, 3);
  private final Map<String, Long> errors = new TreeMap<>();
  // Latency by outcome ("ok" or the error kind) and answers by outcome per interval: the overload benchmark's view.
  private final Map<String, Histogram> latencyByKind = new TreeMap<>();
  private Map<String, Long> intervalKinds = new TreeMap<>();
  private final List<Map<String, Long>> kindsTimeline = new ArrayList<>();
  // Answers by outcome per second of their intended send time, late answers included: a 504 arrives a deadline
  // after its request was sent, so grouping by arrival would put it in a later second than the one it belongs to.
  private final List<Map<String, Long>> kindsBySendSecond = new ArrayList<>();
  private final List<Interval> timeline = new ArrayList<>();
  private long requests;
  private long failed;
  private long newConnections;
  private long intervalRequests;
  private long intervalErrors;
  private long intervalNewConnections;
  private long endNanos;

  Recording(long startNanos) {
    this.startNanos = startNanos;
  }

  /** A response arrived. {@code errorKind} is null for a 2xx, else the status's kind. */
  synchronized void response(long latencyNanos, String errorKind, int connectionsOpened) {
    long micros = Math.min(MAX_MICROS, Math.max(1, latencyNanos / 1_000));
    total.recordValue(micros);
    interval.recordValue(micros);
    newConnections += connectionsOpened;
    intervalNewConnections += connectionsOpened;
    latencyByKind.computeIfAbsent(errorKind == null ? "ok" : errorKind, k -> new Histogram(MAX_MICROS, 3)).recordValue(micros);
    count(errorKind);
  }

  /** Counts one more outcome ("ok" or the error kind) for the second, since the phase began, it was meant to be sent. */
  synchronized void sentAt(long intendedNanos, String errorKind) {
    int second = (int) Math.max(0, (intendedNanos - startNanos) / 1_000_000_000L);
    while (kindsBySendSecond.size() <= second) {
      kindsBySendSecond.add(new TreeMap<>());
    }
    kindsBySendSecond.get(second).merge(errorKind == null ? "ok" : errorKind, 1L, Long::sum);
  }

  /** No response: a timeout, a refused or broken connection. Counted, but no latency to record. */
  synchronized void failure(String errorKind) {
    count(errorKind);
  }

  private void count(String errorKind) {
    requests++;
    intervalRequests++;
    intervalKinds.merge(errorKind == null ? "ok" : errorKind, 1L, Long::sum);
    if (errorKind != null) {
      failed++;
      intervalErrors++;
      errors.merge(errorKind, 1L, Long::sum);
    }
  }

  /** Closes the current interval of the timeline at {@code nowNanos}. */
  synchronized Interval tick(long nowNanos) {
    Interval i = new Interval((nowNanos - startNanos) / 1e9, intervalRequests, intervalErrors,
        ms(interval, 50), ms(interval, 99), interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0,
        intervalNewConnections, requests, newConnections);
    timeline.add(i);
    kindsTimeline.add(intervalKinds);
    intervalKinds = new TreeMap<>();
    interval.reset();
    intervalRequests = 0;
    intervalErrors = 0;
    intervalNewConnections = 0;
    return i;
  }

  /** Marks the end of the phase: the last interval is closed and elapsed time fixed. */
  synchronized void finish(long nowNanos) {
    if (intervalRequests > 0 || timeline.isEmpty()) {
      tick(nowNanos);
    }
    endNanos = nowNanos;
  }

  synchronized double elapsedSeconds() {
    return ((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos) / 1e9;
  }

  synchronized long requests() {
    return requests;
  }

  synchronized long failed() {
    return failed;
  }

  synchronized Map<String, Long> errors() {
    return new TreeMap<>(errors);
  }

  synchronized long newConnections() {
    return newConnections;
  }

  synchronized Histogram latency() {
    return total.copy();
  }

  synchronized List<Interval> timeline() {
    return List.copyOf(timeline);
  }

  /** Latency of the answers of one outcome: "ok" or an error kind such as "http_503"; empty when none. */
  synchronized Histogram latency(String kind) {
    Histogram h = latencyByKind.get(kind);
    return h == null ? new Histogram(MAX_MICROS, 3) : h.copy();
  }

  /** Per interval of the timeline, the answers by outcome ("ok" or the error kind). */
  synchronized List<Map<String, Long>> outcomesTimeline() {
    return List.copyOf(kindsTimeline);
  }

  /** Per second of intended send time, the answers by outcome, whenever they arrived ({@link #sentAt}). */
  synchronized List<Map<String, Long>> outcomesBySendSecond() {
    return kindsBySendSecond.stream().map(m -> (Map<String, Long>) new TreeMap<>(m)).toList();
  }

  synchronized double p99SoFarMs() {
    return ms(total, 99);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
