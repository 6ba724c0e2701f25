package dev.keepalive.loadtest;

import static dev.keepalive.common.Check.*;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The load to apply: an open model (constant arrival {@code rate} per second, as wrk2) when rate is
 * above 0, else a closed model ({@code concurrency} requests in flight, each sent when the last returned).
 *
 * @param calls fan-out per gateway request; 0 leaves it to the gateway's default
 * @param connections most connections the driver opens to the gateway
 */
public record LoadPlan(double rate, int concurrency, int connections, Duration duration, Duration warmup, int calls,
    Duration timeout) {

  public LoadPlan {
    if (!(rate >= 0 && rate <= 1_000_000)) {
      throw new IllegalArgumentException("Invalid value for --rate: " + rate + " (must be between 0 and 1000000)");
    }
    between("--concurrency", concurrency, 1, 100_000);
    between("--connections", connections, 1, 100_000);
    positive("--duration", duration);
    notNegative("--warmup", warmup);
    between("--calls", calls, 0, 100_000);
    positive("--timeout", timeout);
  }

  public boolean openModel() {
    return rate > 0;
  }

  /** Requests the open model sends in a window: one every 1/rate seconds. */
  public long requestsIn(Duration window) {
    return (long) Math.floor(rate * window.toNanos() / 1e9);
  }

  public String describe() {
    String load = openModel() ? String.format("rate %s/s (open model)", trim(rate))
        : "concurrency " + concurrency + " (closed model)";
    return load + ", " + DurationConverter.format(duration) + (warmup.isZero() ? "" : " after " + DurationConverter.format(warmup) + " warm-up")
        + ", " + (calls == 0 ? "gateway's default fan-out" : calls + (calls == 1 ? " call" : " calls") + " per request");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("model", openModel() ? "open" : "closed")
        .put("rate", openModel() ? rate : null)
        .put("concurrency", openModel() ? null : concurrency)
        .put("connections", connections)
        .put("duration", DurationConverter.format(duration))
        .put("warmup", DurationConverter.format(warmup))
        .put("calls", calls == 0 ? null : calls)
        .put("timeout", DurationConverter.format(timeout));
  }

  static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
