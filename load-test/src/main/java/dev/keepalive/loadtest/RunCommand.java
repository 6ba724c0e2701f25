package dev.keepalive.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load-test run}: drives a running gateway, then reports what the driver and the services measured. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Drive a running gateway with GET /fanout and report throughput, latency and what the load cost "
        + "in upstream TCP connections (read from the gateway's and the upstream's /metrics).",
    footer = {"", "Defaults: closed model with --concurrency 10 (--connections 64 in the open model), --duration 30s, "
        + "--warmup 5s, --timeout 10s, --calls: the gateway's own default.",
        "Exit status: 0 ok, 1 no request succeeded (or another failure), 2 bad flags, 99 a threshold was breached.",
        "Every flag can also be set by an environment variable: LOADTEST_ and the flag's name in upper case, "
        + "e.g. LOADTEST_RATE=200. A flag on the command line wins."})
final class RunCommand implements Callable<Integer> {
  static final int THRESHOLD_BREACHED = 99;
  static final int NO_SUCCESS = 1;
  static final LoadPlan DEFAULTS = new LoadPlan(0, 10, 64, Duration.ofSeconds(30), Duration.ofSeconds(5), 0,
      Duration.ofSeconds(10));

  @Spec
  CommandSpec spec;

  @Option(names = "--target", paramLabel = "URL", defaultValue = "http://localhost:8080",
      description = "The gateway's base URL (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--gateway-metrics", paramLabel = "URL",
      description = "The gateway's Prometheus metrics (default: <target>/metrics).")
  String gatewayMetrics;

  @Option(names = "--upstream-metrics", paramLabel = "URL",
      description = "The upstream's Prometheus metrics, e.g. http://localhost:8081/metrics (default: not read).")
  String upstreamMetrics;

  @Mixin
  LoadOptions load;

  @Option(names = "--max-p99", paramLabel = "DURATION", description = "Fail (exit 99) when p99 latency is above this.")
  Duration maxP99;

  @Option(names = "--max-error-rate", paramLabel = "FRACTION",
      description = "Fail (exit 99) when more than this fraction of requests failed, 0 to 1.")
  Double maxErrorRate;

  @Option(names = "--max-handshakes-per-request", paramLabel = "N",
      description = "Fail (exit 99) when the gateway opened more upstream connections per request than this.")
  Double maxHandshakesPerRequest;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the whole result as JSON.")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report with charts.")
  Path html;

  @Override
  public Integer call() {
    LoadPlan plan = load.plan(DEFAULTS);
    Target gateway = Target.parse("--target", target);
    Target gatewayMetricsUrl = gatewayMetrics == null ? gateway.resolve("/metrics") : Target.parse("--gateway-metrics", gatewayMetrics);
    Target upstreamMetricsUrl = upstreamMetrics == null ? null : Target.parse("--upstream-metrics", upstreamMetrics);
    Thresholds thresholds = new Thresholds(maxP99, maxErrorRate, maxHandshakesPerRequest);
    PrintWriter out = spec.commandLine().getOut();

    out.printf("Driving %s: %s%n", gateway, plan.describe());
    out.flush();
    RunResult result = new LoadRun(gateway.toString(), gateway, gatewayMetricsUrl, upstreamMetricsUrl, plan)
        .execute(new Progress(out, Progress.stdoutIsTerminal(), "", plan.duration().toSeconds()));
    Summary.print(out, result);

    List<Thresholds.Verdict> verdicts = thresholds.check(result);
    JsonArray verdictJson = new JsonArray();
    verdicts.forEach(v -> verdictJson.add(v.toJson()));
    JsonObject report = Reports.json("Load test of " + gateway, plan.describe(), List.of(result),
        new ResultTable(List.of(result), null), new JsonObject().put("thresholds", verdictJson));
    if (json != null) {
      Reports.writeJson(json, report);
      out.println("JSON report: " + Reports.shown(json));
    }
    if (html != null) {
      Reports.writeHtml(html, report);
      out.println("HTML report: " + Reports.shown(html));
    }
    boolean breached = false;
    if (!verdicts.isEmpty()) {
      out.println();
    }
    for (Thresholds.Verdict v : verdicts) {
      (v.passed() ? out : spec.commandLine().getErr()).println("threshold " + v.message());
      breached |= !v.passed();
    }
    // A run in which nothing succeeded (a closed port, a gateway answering only errors) is not "all fine",
    // thresholds or not.
    boolean noneSucceeded = result.requests() == result.failed();
    if (noneSucceeded) {
      spec.commandLine().getErr().printf("error: no request succeeded (%,d sent, %,d failed%s)%n", result.requests(),
          result.failed(), result.errors().isEmpty() ? "" : ": " + Summary.kinds(result.errors()));
    }
    out.flush();
    spec.commandLine().getErr().flush();
    return breached ? THRESHOLD_BREACHED : noneSucceeded ? NO_SUCCESS : 0;
  }
}
