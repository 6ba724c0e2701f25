package dev.keepalive.loadtest;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code load-test compare}: the embedded comparison, every setting selectable. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start an upstream and a gateway embedded on free loopback ports, once per client configuration, "
        + "drive the same load at each and print one side-by-side table; writes a JSON and an HTML report.",
    footer = {"", "Defaults: --configs off,pool10,pool1,h2,pipelined, --concurrency 4 (closed model), --duration 15s "
        + "per configuration, --warmup 0, --calls 100, --timeout 30s, --delay 2ms, --pool-size 10, "
        + "--pipelining-limit 100, --jit-warmup 10s, --rtt 0 (loopback, no link), --json reports/compare.json, --html reports/compare.html.",
        "Scenario: compare scale-out runs keep-alive's scale-out trap (the same as load-test scale-out; see its --help).",
        "Every flag can also be set by an environment variable: LOADTEST_ and the flag's name in upper case."},
    // The scale-out scenario is a compare scenario in the words; its flags and table are its own.
    subcommands = ScaleOutCommand.class)
final class CompareCommand extends ComparisonCommand {

  static final Defaults DEFAULTS = new Defaults(
      new LoadPlan(0, 4, 64, Duration.ofSeconds(15), Duration.ZERO, 100, Duration.ofSeconds(30)),
      List.of("off", "pool10", "pool1", "h2", "pipelined"), "2ms", 10, 100, Duration.ofSeconds(10), "compare", Duration.ZERO);

  @Override
  Defaults defaults() {
    return DEFAULTS;
  }

  @Override
  String title() {
    return "Keep-alive comparison";
  }
}
