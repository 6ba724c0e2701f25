package dev.keepalive.loadtest;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code load-test demo}: compare with defaults that finish in about a minute on a 2-core machine. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The comparison with defaults chosen to end in about a minute: keep-alive off, a keep-alive pool of 10, "
        + "a pool of 1, HTTP/2 on one connection and pipelining on one connection, 100 upstream calls per request.",
    footer = {"", "Defaults: as compare, but --duration 8s per configuration and --jit-warmup 5s; "
        + "--json reports/demo.json, --html reports/demo.html. Every compare flag is accepted."})
final class DemoCommand extends ComparisonCommand {

  static final Defaults DEFAULTS = new Defaults(
      new LoadPlan(0, 4, 64, Duration.ofSeconds(8), Duration.ZERO, 100, Duration.ofSeconds(30)),
      List.of("off", "pool10", "pool1", "h2", "pipelined"), "2ms", 10, 100, Duration.ofSeconds(5), "demo");

  @Override
  Defaults defaults() {
    return DEFAULTS;
  }

  @Override
  String title() {
    return "Keep-alive demo: the same load through five upstream client configurations";
  }
}
