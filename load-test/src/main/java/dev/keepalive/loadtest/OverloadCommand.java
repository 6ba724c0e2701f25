package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.gateway.AdmissionSettings;
import dev.keepalive.upstream.Delay;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load-test overload}: goodput at 2x, 5x and 10x capacity, and the limit through a slow spell. */
@Command(name = "overload", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Starts an upstream and a gateway embedded on loopback, measures capacity at saturation (successful "
        + "fan-outs/s, closed model), then offers multiples of it in the open model and prints goodput as a share "
        + "of capacity, p99 of the successful fan-outs and of the 503s, and the 504s; then slows the upstream "
        + "tenfold for the middle third of a window and shows the admission limit second by second.",
    footer = {"", "Targets (issue 14): goodput >= 0.8 of capacity at every level, successful p99 within the deadline, "
        + "503 p99 under 10 ms, at most 1 %% 504s.",
        "",
        "Takes about 3 minutes with the defaults (warm-up, capacity twice, 3 levels of 20 s, a 45 s slow spell). The "
            + "driver, gateway and upstream share this machine's cores: run it on an idle machine, or the capacity "
            + "and the 503 latencies measure the other load.",
        "",
        "Examples:",
        "  overload                            capacity, 2x 5x 10x, then the slow spell",
        "  overload --slow-spell-only          capacity, then the slow spell alone",
        "  overload --pool-size 2 --calls 20   the size OverloadGoodputTest runs",
        "  overload --admission fixed          the fixed ceiling, to compare with"})
final class OverloadCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--upstream-delay", defaultValue = "20ms", converter = Delay.Converter.class,
      description = "The upstream's service time (default: ${DEFAULT-VALUE}).")
  Delay upstreamDelay;

  @Option(names = "--pool-size", defaultValue = "10", description = "The gateway's upstream pool (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(names = "--calls", defaultValue = "100", description = "Upstream calls per fan-out (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--fanout-timeout", defaultValue = "5s", description = "The fan-out deadline (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(names = "--admission", defaultValue = "adaptive", converter = AdmissionSettings.ModeConverter.class,
      description = "fixed or adaptive (default: ${DEFAULT-VALUE}).")
  AdmissionSettings.Mode admission;

  @Option(names = "--admission-algorithm", defaultValue = "vegas", converter = AdmissionSettings.AlgorithmConverter.class,
      description = "vegas, gradient2 or aimd (default: ${DEFAULT-VALUE}).")
  AdmissionSettings.Algorithm algorithm;

  @Option(names = "--max-concurrent-fanouts", defaultValue = "64", description = "The admission's ceiling: the fixed limit, or the most the adaptive one may reach "
          + "(default: ${DEFAULT-VALUE}).")
  int ceiling;

  @Option(names = "--capacity-clients", defaultValue = "4",
      description = "Clients in the closed loop that measures capacity (default: ${DEFAULT-VALUE}).")
  int capacityClients;

  @Option(names = "--capacity-window", defaultValue = "10s",
      description = "How long capacity is measured, before and after the levels (default: ${DEFAULT-VALUE}).")
  Duration capacityWindow;

  @Option(names = "--window", defaultValue = "20s", description = "Length of each offered level (default: ${DEFAULT-VALUE}).")
  Duration levelWindow;

  @Option(names = "--levels", defaultValue = "2,5,10", split = ",",
      description = "Multiples of capacity to offer (default: ${DEFAULT-VALUE}).")
  List<Double> levels;

  @Option(names = "--slow-factor", defaultValue = "10",
      description = "The slow spell multiplies the upstream's service time by this; 1 skips it (default: ${DEFAULT-VALUE}).")
  double slowFactor;

  @Option(names = "--slow-spell", defaultValue = "45s",
      description = "The slow-spell scenario's length; its middle third is slow (default: ${DEFAULT-VALUE}).")
  Duration slowSpell;

  @Option(names = "--slow-spell-level", defaultValue = "2",
      description = "Multiple of capacity offered during the slow-spell scenario (default: ${DEFAULT-VALUE}).")
  double slowSpellLevel;

  @Option(names = "--slow-spell-only", defaultValue = "false",
      description = "Skip the 2x/5x/10x levels: warm-up, capacity, then the slow spell (default: ${DEFAULT-VALUE}).")
  boolean slowSpellOnly;

  @Option(names = "--connections", defaultValue = "1024",
      description = "Most connections the driver opens to the gateway (default: ${DEFAULT-VALUE}).")
  int connections;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (slowSpellOnly && !(slowFactor > 1 && !slowSpell.isZero())) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--slow-spell-only needs a slow spell: --slow-factor above 1 and --slow-spell above 0");
    }
    for (double l : levels) {
      if (!(l > 0 && l <= 1000)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "Invalid value for --levels: " + l + " (each a multiple of capacity above 0, at most 1000)");
      }
    }
    OverloadBenchmark.Settings settings = new OverloadBenchmark.Settings(upstreamDelay, poolSize, calls, deadline,
        new AdmissionSettings(admission, algorithm, 4), ceiling, capacityClients, capacityWindow, levelWindow,
        slowSpellOnly ? List.of() : levels,
        slowFactor, slowSpell, slowSpellLevel, connections);
    out.printf("Overload benchmark: upstream %s, pool %d, %d calls per fan-out, deadline %s, admission %s%s, ceiling %d%n",
        upstreamDelay.spec(), poolSize, calls, DurationConverter.format(deadline), AdmissionSettings.lower(admission),
        admission == AdmissionSettings.Mode.ADAPTIVE ? " (" + AdmissionSettings.lower(algorithm) + ")" : "", ceiling);
    OverloadReport.collectorNote(ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList()).ifPresent(out::println);
    long start = System.nanoTime();
    try (OverloadBenchmark bench = new OverloadBenchmark(settings)) {
      bench.runAll(out);
    }
    out.printf("goodput = successful fan-outs/s over capacity; latencies from the intended send time. Took %.0f s.%n",
        (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
