package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.upstream.UpstreamConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the same load against a fresh embedded upstream and gateway once per client configuration.
 * Each configuration starts cold (no warm-up of its own), so its connection counts include the
 * handshakes of its first requests: keep-alive off opens calls × requests, pool 1 opens 1.
 * A JIT warm-up of every configuration on throwaway stacks first keeps them from paying for the JVM's.
 */
final class Comparison {
  private final List<ClientConfig> configs;
  private final UpstreamConfig upstream;
  private final int gatewayInstances;
  private final LoadPlan plan;
  private final Duration jitWarmup;
  private final UpstreamPath path;

  /** @param path the round trip between gateway and upstream; the JIT warm-up runs on loopback whatever it is */
  Comparison(List<ClientConfig> configs, UpstreamConfig upstream, int gatewayInstances, LoadPlan plan,
      Duration jitWarmup, UpstreamPath path) {
    this.path = path;
    this.configs = configs;
    this.upstream = upstream;
    this.gatewayInstances = gatewayInstances;
    this.plan = plan;
    this.jitWarmup = jitWarmup;
  }

  List<RunResult> run(PrintWriter out, boolean terminal) throws Exception {
    if (!jitWarmup.isZero()) {
      jitWarmup(out);
    }
    List<RunResult> results = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      ClientConfig c = configs.get(i);
      out.printf("[%d/%d] %s: %s%n", i + 1, configs.size(), c.name(), c.label());
      out.flush();
      RunResult r = once(c, plan, path, new Progress(out, terminal, "  ", plan.duration().toSeconds()));
      out.print(outcome(r));
      out.flush();
      results.add(r);
    }
    return results;
  }

  /**
   * Each configuration in turn, on a throwaway stack, for an equal share of the JIT warm-up: HTTP/2,
   * pipelining and connection set-up run different code, and each should be compiled before it is measured.
   */
  private void jitWarmup(PrintWriter out) throws Exception {
    Duration share = warmupShare(jitWarmup, configs.size());
    out.printf("JIT warm-up: %s per configuration on throwaway services (not reported)%n", DurationConverter.format(share));
    out.flush();
    LoadPlan warm = new LoadPlan(plan.rate(), plan.concurrency(), plan.connections(), share, Duration.ZERO,
        plan.calls(), plan.timeout());
    // On loopback: the code is the same with a round trip, and pool1 would spend its share waiting for it.
    UpstreamPath loopback = new UpstreamPath(Duration.ZERO, Duration.ZERO);
    for (ClientConfig c : configs) {
      once(c, warm, loopback, Progress.quiet());
    }
  }

  private RunResult once(ClientConfig config, LoadPlan load, UpstreamPath through, Progress progress) throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.start(upstream, config, load.calls(), gatewayInstances, through)) {
      return new LoadRun(config.label(), stack.gateway(), stack.gatewayMetrics(), stack.upstreamMetrics(), load)
          .execute(progress).withPath(stack.pathCarried());
    }
  }

  /** What one configuration's run printed when it ended: its counts, then its warnings, a line each. */
  static String outcome(RunResult r) {
    StringBuilder b = new StringBuilder(String.format("  %,d requests, %,.1f req/s, p99 %s, %s opened%s%n", r.requests(),
        r.throughput(), Summary.ms(r.latencyMs(99)), r.gateway() == null ? "connections: n/a"
            : Summary.count(r.gateway().connectionsOpened(), "connection"),
        r.failed() == 0 ? "" : String.format(", %,d errors (%s)", r.failed(), Summary.kinds(r.errors()))));
    r.warnings().forEach(w -> b.append("  warning: ").append(w).append(System.lineSeparator()));
    return b.toString();
  }

  /** Each configuration's equal share of the JIT warm-up, at least 200 ms. */
  static Duration warmupShare(Duration jitWarmup, int configs) {
    Duration share = jitWarmup.dividedBy(configs);
    return share.toMillis() < 200 ? Duration.ofMillis(200) : share;
  }

  /** The baseline of the speedup column: keep-alive off when it was run, else the first configuration. */
  static RunResult baseline(List<ClientConfig> configs, List<RunResult> results) {
    for (int i = 0; i < configs.size(); i++) {
      if (!configs.get(i).keepAlive()) {
        return results.get(i);
      }
    }
    return results.isEmpty() ? null : results.get(0);
  }
}
