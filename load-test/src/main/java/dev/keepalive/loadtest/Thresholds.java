package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Pass/fail criteria on a run, as k6 has them; a null limit is not checked. */
record Thresholds(Duration maxP99, Double maxErrorRate, Double maxHandshakesPerRequest) {

  record Verdict(String flag, String limit, String actual, boolean passed) {
    String message() {
      return flag + " " + limit + (passed ? " passed: " : " BREACHED: ") + actual;
    }

    JsonObject toJson() {
      return new JsonObject().put("threshold", flag).put("limit", limit).put("actual", actual).put("passed", passed);
    }
  }

  Thresholds {
    if (maxP99 != null && (maxP99.isZero() || maxP99.isNegative())) {
      throw new IllegalArgumentException("Invalid value for --max-p99: must be above 0");
    }
    if (maxErrorRate != null && !(maxErrorRate >= 0 && maxErrorRate <= 1)) {
      throw new IllegalArgumentException("Invalid value for --max-error-rate: " + maxErrorRate + " (must be between 0 and 1)");
    }
    if (maxHandshakesPerRequest != null && !(maxHandshakesPerRequest >= 0)) {
      throw new IllegalArgumentException("Invalid value for --max-handshakes-per-request: must be 0 or more");
    }
  }

  static Thresholds none() {
    return new Thresholds(null, null, null);
  }

  List<Verdict> check(RunResult r) {
    List<Verdict> out = new ArrayList<>();
    if (maxP99 != null) {
      double p99 = r.latencyMs(99);
      out.add(new Verdict("--max-p99", DurationConverter.format(maxP99), String.format("p99 %.1f ms", p99),
          r.latency().getTotalCount() > 0 && p99 <= maxP99.toNanos() / 1e6));
    }
    if (maxErrorRate != null) {
      out.add(new Verdict("--max-error-rate", Double.toString(maxErrorRate),
          String.format("error rate %.4f (%d of %d)", r.errorRate(), r.failed(), r.requests()),
          r.errorRate() <= maxErrorRate));
    }
    if (maxHandshakesPerRequest != null) {
      Double h = r.gateway() == null ? null : r.gateway().handshakesPerRequest();
      out.add(new Verdict("--max-handshakes-per-request", Double.toString(maxHandshakesPerRequest),
          h == null ? "not measured (the gateway's metrics could not be read or it answered no request)"
              : String.format("%.3f handshakes per request", h),
          h != null && h <= maxHandshakesPerRequest));
    }
    return out;
  }
}
