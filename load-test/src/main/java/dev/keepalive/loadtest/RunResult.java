package dev.keepalive.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Everything one measured window produced: the driver's own counts and latencies, and what the
 * services' metrics say (null when they could not be read).
 *
 * @param path what lay between the gateway and the upstream (compare, demo); null when not known (run)
 */
record RunResult(String name, Target target, LoadPlan plan, double elapsedSeconds, long requests, long failed,
    Map<String, Long> errors, Histogram latency, List<Recording.Interval> timeline, ServiceCounts services,
    List<String> warnings, UpstreamPath path) {

  static RunResult of(String name, Target target, LoadPlan plan, Recording r, ServiceCounts services,
      List<String> warnings) {
    return new RunResult(name, target, plan, r.elapsedSeconds(), r.requests(), r.failed(), r.errors(), r.latency(),
        r.timeline(), services, List.copyOf(warnings), null);
  }

  RunResult withPath(UpstreamPath p) {
    return new RunResult(name, target, plan, elapsedSeconds, requests, failed, errors, latency, timeline, services,
        warnings, p);
  }

  /** Per-call latency from the gateway's histogram; null when not read. */
  CallLatency calls() {
    return gateway() == null ? null : gateway().calls();
  }

  /**
   * What setting up the window's connections cost, predicted: connections opened × what one costs on the path
   * (its protocol's round trips × RTT, plus the measured loopback TCP connect over TCP), the connections whose TLS
   * session resumed at their (TLS 1.2: shorter) resumed cost. Predicted because neither Vert.x nor the gateway times
   * a connection's handshake. null when the path or the gateway's figures are unknown.
   */
  Double setupSeconds() {
    if (path == null || gateway() == null || !path.setupPredicted()) {
      return null;
    }
    long opened = gateway().connectionsOpened();
    long resumed = Math.min(opened, gateway().tls().resumed());
    return ((opened - resumed) * path.handshakeNanos(false) + resumed * path.handshakeNanos(true)) / 1e9;
  }

  /**
   * The share of the calls' time on a connection that went to setting it up: {@link #setupSeconds()} over the calls'
   * total time less their wait in the pool for a connection. null when either is unknown.
   */
  Double setupShare() {
    CallLatency c = calls();
    Double setup = setupSeconds();
    if (setup == null || c == null || c.onConnectionSeconds() <= 0) {
      return null;
    }
    return Math.min(1.0, setup / c.onConnectionSeconds());
  }

  /** Whether the run's connections were QUIC (HTTP/3); known from its path. */
  boolean overQuic() {
    return path != null && path.setup().overQuic();
  }

  double throughput() {
    return elapsedSeconds <= 0 ? 0 : requests / elapsedSeconds;
  }

  double errorRate() {
    return requests == 0 ? 0 : (double) failed / requests;
  }

  /** Latency at a percentile in milliseconds; 0 when nothing was recorded. */
  double latencyMs(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMs() {
    return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0;
  }

  ServiceCounts.Gateway gateway() {
    return services == null ? null : services.gateway();
  }

  /** Upstream calls per second, from the gateway's metrics. */
  Double upstreamCallRate() {
    return gateway() == null || elapsedSeconds <= 0 ? null : gateway().upstreamCalls() / elapsedSeconds;
  }

  JsonObject toJson() {
    JsonObject latencyJson = new JsonObject()
        .put("count", latency.getTotalCount())
        .put("meanMs", latency.getTotalCount() == 0 ? 0 : round(latency.getMean() / 1000.0))
        .put("p50Ms", round(latencyMs(50)))
        .put("p90Ms", round(latencyMs(90)))
        .put("p99Ms", round(latencyMs(99)))
        .put("p999Ms", round(latencyMs(99.9)))
        .put("maxMs", round(maxMs()))
        .put("distribution", distribution());
    JsonArray timelineJson = new JsonArray();
    for (Recording.Interval i : timeline) {
      timelineJson.add(new JsonObject().put("t", round(i.t())).put("requests", i.requests()).put("errors", i.errors())
          .put("p50Ms", round(i.p50Ms())).put("p99Ms", round(i.p99Ms())).put("maxMs", round(i.maxMs()))
          .put("newConnections", i.newConnections()).put("totalRequests", i.totalRequests())
          .put("totalNewConnections", i.totalNewConnections()));
    }
    return new JsonObject()
        .put("name", name)
        .put("target", target.toString())
        .put("load", plan.toJson())
        .put("elapsedSeconds", round(elapsedSeconds))
        .put("requests", requests)
        .put("succeeded", requests - failed)
        .put("failed", failed)
        .put("errors", new JsonObject(Map.copyOf(errors)))
        .put("errorRate", errorRate())
        .put("throughput", round(throughput()))
        .put("upstreamCallsPerSecond", upstreamCallRate() == null ? null : round(upstreamCallRate()))
        .put("latency", latencyJson)
        .put("services", services == null ? null : services.toJson())
        .put("handshakesPerRequest", gateway() == null ? null : gateway().handshakesPerRequest())
        .put("requestsPerConnection", gateway() == null ? null : gateway().requestsPerConnection())
        .put("path", path == null ? null : path.toJson())
        .put("callP50Ms", calls() == null ? null : round(calls().p50Seconds() * 1000))
        .put("callP99Ms", calls() == null ? null : round(calls().p99Seconds() * 1000))
        .put("setupRoundTripsPerConnection", path == null ? null : path.setup().roundTrips())
        .put("setupMs", setupSeconds() == null ? null : round(setupSeconds() * 1000))
        .put("setupBasis", setupSeconds() == null ? null : "predicted")
        .put("setupShare", setupShare() == null ? null : round(setupShare()))
        .put("timeline", timelineJson)
        .put("warnings", new JsonArray(warnings));
  }

  /**
   * The percentile spectrum HdrHistogram plots, 5 steps per halving of the remaining tail, up to the
   * finest percentile the sample count resolves (1 - 1/count): the maximum is drawn there.
   */
  private JsonArray distribution() {
    JsonArray points = new JsonArray();
    long count = latency.getTotalCount();
    if (count == 0) {
      return points;
    }
    double finest = count == 1 ? 50.0 : Math.min(99.9999, 100.0 * (1.0 - 1.0 / count));
    for (HistogramIterationValue v : latency.percentiles(5)) {
      double p = Math.min(v.getPercentileLevelIteratedTo(), finest);
      points.add(new JsonObject().put("percentile", Math.round(p * 1e6) / 1e6).put("ms", round(v.getValueIteratedTo() / 1000.0)));
      if (p >= finest) {
        break;
      }
    }
    return points;
  }

  static double round(double d) {
    return Math.round(d * 1000.0) / 1000.0;
  }
}
