package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.upstream.Delay;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code load-test scale-out}: keep-alive's scale-out trap and its cures. A command of its own, like overload: none
 * of compare's flags (--configs, --rtt, the JIT warm-up) means anything here, and its table is not compare's.
 */
@Command(name = "scale-out", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Two upstream replicas embedded on loopback under load, a third started at half time, run three ways: "
        + "(1) behind the latency link balancing connections round robin (like kube-proxy), plain keep-alive; (2) the "
        + "same with --max-connection-age; (3) the gateway balancing every call itself over all three "
        + "(--upstream A,B,C). Prints each replica's share of the calls in the second half, from the replicas' own "
        + "counters; writes a JSON and an HTML report with each replica's calls per second.",
    footer = {"", "Every flag can also be set by an environment variable: LOADTEST_ and the flag's name in upper case."})
final class ScaleOutCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--duration", defaultValue = "8s", paramLabel = "DURATION",
      description = "Load per way; replica C starts at half of it (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--max-connection-age", paramLabel = "DURATION",
      description = "Way 2's maximum connection age, ±10 % jitter (default: a quarter of --duration).")
  Duration maxAge;

  @Option(names = "--pool-size", defaultValue = "4", paramLabel = "N",
      description = "The gateway's pool: to the link in ways 1 and 2, to each replica in way 3 (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N",
      description = "Fan-outs in flight, closed model (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--calls", defaultValue = "20", paramLabel = "N",
      description = "Upstream calls per fan-out (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--delay", defaultValue = "1ms", paramLabel = "DELAY", converter = Delay.Converter.class,
      description = "The replicas' service time per request: 1ms, uniform:1ms-5ms or exp:2ms (default: ${DEFAULT-VALUE}).")
  Delay delay;

  @Option(names = "--json", defaultValue = "reports/scale-out.json", paramLabel = "FILE",
      description = "Where to write the JSON result (default: ${DEFAULT-VALUE}).")
  Path json;

  @Option(names = "--html", defaultValue = "reports/scale-out.html", paramLabel = "FILE",
      description = "Where to write the self-contained HTML report (default: ${DEFAULT-VALUE}).")
  Path html;

  static final String TITLE = "Keep-alive's scale-out trap";

  @Override
  public Integer call() {
    ScaleOutScenario.Settings settings = new ScaleOutScenario.Settings(duration,
        maxAge != null ? maxAge : duration.dividedBy(4), poolSize, concurrency, calls, delay);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s%n%s%n%n", TITLE, settings.describe());
    out.flush();
    long start = System.nanoTime();
    List<ScaleOutScenario.Outcome> outcomes = new ScaleOutScenario(settings).runAll(out);
    ScaleOutTable table = new ScaleOutTable(outcomes);
    out.println();
    out.println("Each replica's share of the calls in the second half (C running), from the replicas' own counters;");
    out.println("C's first call: time from C's start to the first call it answered:");
    table.print(out);
    out.println();
    out.println(lesson(settings));
    JsonObject report = new JsonObject()
        .put("title", TITLE)
        .put("description", settings.describe())
        .put("generated", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("columns", new JsonArray(List.copyOf(ScaleOutTable.COLUMNS)))
        .put("rows", table.rowsJson())
        .put("lesson", lesson(settings))
        .put("replicas", new JsonArray(ScaleOutScenario.REPLICAS))
        .put("ways", ScaleOutTable.waysJson(outcomes));
    Reports.writeJson(json, report);
    Reports.writeHtml(html, report, "scale-out.html");
    out.printf("%nTook %.0f s. JSON: %s%nHTML report: %s%n", (System.nanoTime() - start) / 1e9,
        Reports.shown(json), Reports.shown(html));
    out.flush();
    return 0;
  }

  static String lesson(ScaleOutScenario.Settings s) {
    return String.format("(1) Behind a balancer of connections, keep-alive leaves the new replica idle: the warm pool "
            + "never opens a connection for it to be given.%n(2) --max-connection-age %s drains and reopens each "
            + "connection through the balancer: C gets its share within about one age.%n(3) Balancing every call on "
            + "the client gives C its share at once (its calls before it ran were refused and sent to A or B).",
        DurationConverter.format(s.maxAge()));
  }
}
