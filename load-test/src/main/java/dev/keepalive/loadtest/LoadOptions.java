package dev.keepalive.loadtest;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The load flags shared by run, compare and demo. Unset flags take the command's own defaults
 * (each command's help lists them), so the fields are nullable.
 */
final class LoadOptions {

  @Option(names = "--rate", paramLabel = "PER_SECOND",
      description = "Open model: send this many requests per second at constant arrival, whatever the target does; "
          + "latency counts from each request's scheduled time (as wrk2). Excludes --concurrency.")
  Double rate;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Closed model: N requests in flight, each sent when the previous one returned.")
  Integer concurrency;

  @Option(names = "--connections", paramLabel = "N",
      description = "Most connections the driver opens to the gateway (open model; the closed model uses at least --concurrency).")
  Integer connections;

  @Option(names = "--duration", paramLabel = "DURATION", description = "Length of the measured window.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION",
      description = "Load applied before the measured window and left out of every figure.")
  Duration warmup;

  @Option(names = "--calls", paramLabel = "N", description = "Upstream calls per gateway request (?calls=N).")
  Integer calls;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "A request that waits this long for a connection or for data fails as a timeout.")
  Duration timeout;

  /** The plan: these flags where given, the command's defaults elsewhere. */
  LoadPlan plan(LoadPlan defaults) {
    if (rate != null && concurrency != null) {
      throw new IllegalArgumentException("--rate (open model) and --concurrency (closed model) exclude each other: give one");
    }
    if (rate != null && !(rate > 0)) {
      throw new IllegalArgumentException("Invalid value for --rate: " + rate + " (must be above 0)");
    }
    double r = rate != null ? rate : concurrency != null ? 0 : defaults.rate();
    return new LoadPlan(r,
        concurrency != null ? concurrency : defaults.concurrency(),
        connections != null ? connections : defaults.connections(),
        duration != null ? duration : defaults.duration(),
        warmup != null ? warmup : defaults.warmup(),
        calls != null ? calls : defaults.calls(),
        timeout != null ? timeout : defaults.timeout());
  }
}
