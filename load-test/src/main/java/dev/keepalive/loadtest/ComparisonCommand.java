package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.common.TransportChoice;
import dev.keepalive.common.tls.TlsEngine;
import dev.keepalive.common.tls.TlsVersions;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.TlsSettings;
import dev.keepalive.upstream.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What compare and demo share: the flags of the embedded comparison, and running it. The two
 * differ only in their defaults ({@link #defaults()}).
 */
abstract class ComparisonCommand implements Callable<Integer> {

  /** A command's defaults for every flag left unset. */
  record Defaults(LoadPlan plan, List<String> configs, String delay, int poolSize, int pipeliningLimit,
      Duration jitWarmup, String reportBase, Duration rtt) {}

  @Spec
  CommandSpec spec;

  @Option(names = "--configs", split = ",", paramLabel = "CONFIG",
      description = "Client configurations, in order: off[N] keep-alive off (at most N connections), pool[N] keep-alive "
          + "with N connections, h2[xN] HTTP/2 on N connections (default 1), pipelined[N] HTTP/1.1 pipelining on N "
          + "connections (default 1), h3[xN] HTTP/3 over QUIC on N connections (default 1; the upstream then runs TLS "
          + "and HTTP/3). N defaults to --pool-size for off and pool. A -tls suffix (off-tls, pool10-tls, h2-tls) runs it "
          + "over TLS (h2 chosen by ALPN), -tls-noresume over TLS with the upstream's session resumption off; see "
          + "--tls-engine and --tls-versions.")
  List<String> configs;

  @Mixin
  LoadOptions load;

  @Option(names = "--delay", paramLabel = "DELAY", converter = Delay.Converter.class,
      description = "The upstream's service time per request: 2ms, uniform:1ms-5ms or exp:2ms.")
  Delay delay;

  @Option(names = "--error-rate", paramLabel = "FRACTION", description = "Fraction of upstream requests answered 500.")
  Double errorRate;

  @Option(names = "--pool-size", paramLabel = "N", description = "Connections for off and pool without a number.")
  Integer poolSize;

  @Option(names = "--pipelining-limit", paramLabel = "N", description = "Requests in flight on one pipelined connection.")
  Integer pipeliningLimit;

  @Option(names = "--upstream-instances", paramLabel = "N", defaultValue = "1",
      description = "Event loops of the embedded upstream (default: ${DEFAULT-VALUE}).")
  int upstreamInstances;

  @Option(names = "--gateway-instances", paramLabel = "N", defaultValue = "1",
      description = "Event loops of the embedded gateway (default: ${DEFAULT-VALUE}).")
  int gatewayInstances;

  @Option(names = "--transport", paramLabel = "auto|nio|epoll|io_uring|kqueue", defaultValue = "auto",
      description = "Netty transport of the embedded upstream and gateway; one not available here runs on NIO with a "
          + "log line (default: ${DEFAULT-VALUE}).")
  TransportChoice transport;

  @Option(names = "--jit-warmup", paramLabel = "DURATION",
      description = "Before measuring, run each configuration for its share of this on throwaway services, so none pays for the JIT; 0 to skip.")
  Duration jitWarmup;

  @Option(names = "--rtt", paramLabel = "DURATION",
      description = "Put the latency link between gateway and upstream with this round-trip time: every byte waits "
          + "half of it each way, a new connection one more (its handshake). 0: loopback, no link.")
  Duration rtt;

  @Option(names = "--rtt-jitter", paramLabel = "DURATION", defaultValue = "0",
      description = "Each round trip through the link varies within ±this, at most the RTT (default: ${DEFAULT-VALUE}).")
  Duration rttJitter;

  @Option(names = "--tls-engine", paramLabel = "openssl|jdk", defaultValue = "openssl",
      description = "TLS engine of both services in the -tls configurations (default: ${DEFAULT-VALUE}).")
  TlsEngine tlsEngine;

  @Option(names = "--tls-versions", paramLabel = "VERSIONS", defaultValue = "1.2,1.3",
      converter = TlsVersions.Converter.class,
      description = "TLS versions the upstream accepts in the -tls configurations, e.g. 1.2 to see TLS 1.2's longer "
          + "handshake (default: ${DEFAULT-VALUE}).")
  TlsVersions tlsVersions;

  @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "0%", converter = LinkConfig.LossConverter.class,
      description = "With --rtt, packets the link loses, e.g. 1%%: a UDP datagram (QUIC) is dropped, a TCP chunk is held back "
          + "one more RTT with everything behind it (no congestion control is emulated) (default: ${DEFAULT-VALUE}).")
  double loss;

  @Option(names = "--json", paramLabel = "FILE", description = "Where to write the JSON result.")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Where to write the self-contained HTML report.")
  Path html;

  abstract Defaults defaults();

  /**
   * The line above the table: what every row went through, and what one new connection cost on it (its protocol's
   * round trips, RTTs/conn, each one RTT; over TCP also the loopback connect, measured).
   */
  static String tableTitle(UpstreamPath path, List<RunResult> results) {
    double connectMs = results.stream().filter(r -> r.path() != null)
        .mapToDouble(r -> r.path().loopbackConnectNanos() / 1e6).average().orElse(0);
    return String.format("Gateway to upstream: %s; a new connection costs %s%s (loopback TCP connect, measured)",
        path.describe(), path.linked() ? "RTTs/conn × " + DurationConverter.format(path.rtt()) + " + " : "",
        Summary.ms(connectMs));
  }

  abstract String title();

  @Override
  public Integer call() throws Exception {
    Defaults d = defaults();
    LoadPlan plan = load.plan(d.plan());
    if (plan.calls() == 0) {
      throw new IllegalArgumentException("Invalid value for --calls: 0 (must be at least 1)");
    }
    int pool = poolSize != null ? poolSize : d.poolSize();
    int limit = pipeliningLimit != null ? pipeliningLimit : d.pipeliningLimit();
    List<ClientConfig> clients = ClientConfig.parseAll(configs != null ? configs : d.configs(), pool, limit);
    Delay serviceTime = delay != null ? delay : Delay.parse(d.delay());
    UpstreamConfig upstream = UpstreamConfig.defaults().withDelay(serviceTime).withInstances(upstreamInstances)
        .withErrorRate(errorRate != null ? errorRate : 0.0).withTransport(transport)
        .withTls(TlsSettings.OFF.withEngine(tlsEngine).withVersions(tlsVersions)); // for the -tls configurations
    Path jsonFile = json != null ? json : Path.of("reports", d.reportBase() + ".json");
    Path htmlFile = html != null ? html : Path.of("reports", d.reportBase() + ".html");
    Duration jit = jitWarmup != null ? jitWarmup : d.jitWarmup();
    Duration roundTrip = rtt != null ? rtt : d.rtt();
    LinkConfig.checkRoundTrip(roundTrip, rttJitter);
    if (loss > 0 && roundTrip.isZero()) {
      throw new IllegalArgumentException("Invalid value for --loss: it needs --rtt (the link that loses packets)");
    }
    UpstreamPath path = new UpstreamPath(roundTrip, rttJitter, loss);

    PrintWriter out = spec.commandLine().getOut();
    String description = plan.describe() + " per configuration; upstream service time " + serviceTime.spec()
        + (upstream.errorRate() > 0 ? ", error rate " + upstream.errorRate() : "")
        + (clients.stream().anyMatch(c -> c.tls() != ClientConfig.Tls.NONE) ? "; TLS " + tlsVersions.spec() + " "
            + tlsEngine.name().toLowerCase(java.util.Locale.ROOT) : "")
        + "; between gateway and upstream: " + path.describe() + "; transport " + transport.resolved().label()
        + (transport == TransportChoice.AUTO || transport.resolved() == transport ? "" : " (" + transport.label() + " is not available here)");
    out.printf("%s%n%s%n%n", title(), description);
    out.flush();
    long start = System.nanoTime();
    List<RunResult> results = new Comparison(clients, upstream, gatewayInstances, plan, jit, path)
        .run(out, Progress.stdoutIsTerminal());
    ResultTable table = new ResultTable(results, Comparison.baseline(clients, results));

    out.println();
    out.println(tableTitle(path, results));
    table.print(out);
    JsonArray configsJson = new JsonArray();
    clients.forEach(c -> configsJson.add(c.toJson()));
    JsonObject report = Reports.json(title(), description, results, table, new JsonObject()
        .put("configs", configsJson)
        .put("upstream", upstream.toJson())
        .put("jitWarmup", DurationConverter.format(jit))
        .put("rtt", DurationConverter.format(roundTrip))
        .put("rttJitter", DurationConverter.format(rttJitter))
        .put("loss", loss));
    Reports.writeJson(jsonFile, report);
    Reports.writeHtml(htmlFile, report);
    out.printf("%nHandshakes/req: connections (TCP or QUIC) the gateway opened per request; req/conn: upstream calls per connection"
        + " that carried them; call p50/p99: one upstream call as the gateway timed it (pool wait included), from its"
        + " histogram; RTTs/conn: round trips a new connection waits for before its first request (TCP 1, TCP + TLS 1.3 2,"
        + " TCP + TLS 1.2 3, or 2 resumed; QUIC as the link counted it: 1 in the protocol, 2 with Vert.x 5.1.6); set-up (predicted): connections opened × (RTTs/conn × RTT, plus the"
        + " loopback TCP connect over TCP), predicted because nothing times a handshake; set-up share: that over the"
        + " calls' time less their pool wait; speedup: req/s over %s.%n", Comparison.baseline(clients, results).name());
    out.printf("Took %.0f s. JSON: %s%nHTML report: %s%n", (System.nanoTime() - start) / 1e9,
        Reports.shown(jsonFile), Reports.shown(htmlFile));
    out.flush();
    return 0;
  }
}
