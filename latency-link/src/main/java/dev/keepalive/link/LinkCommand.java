package dev.keepalive.link;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load-test link}: the latency link on its own, for services started by hand and for compose. */
@Command(name = "link", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Forward TCP connections to an upstream as if it were a round trip away: every byte waits half the "
        + "RTT each way, a new connection's first bytes one RTT more (its handshake). One upstream connection per "
        + "incoming one. Runs until stopped (Ctrl-C, SIGTERM).",
    footer = {"", "Example: java -jar load-test.jar link --listen 8181 --to localhost:8081 --rtt 20ms",
        "Every flag can also be set by an environment variable: LOADTEST_ and the flag's name in upper case, "
        + "e.g. LOADTEST_RTT=20ms."})
public final class LinkCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--listen", paramLabel = "[HOST:]PORT", defaultValue = "8181", converter = HostPort.ListenConverter.class,
      description = "Where to accept connections; a bare port listens on every interface (default: ${DEFAULT-VALUE}).")
  HostPort listen;

  @Option(names = "--to", paramLabel = "HOST:PORT", required = true, split = ",", converter = HostPort.TargetConverter.class,
      description = "The upstream each connection is forwarded to, e.g. localhost:8081; several, comma-separated, take "
          + "the connections in turn (round robin per connection, as kube-proxy).")
  List<HostPort> to;

  @Option(names = "--targets-file", paramLabel = "FILE",
      description = "A file of host:port lines, read again every second: a line added becomes one more target for the "
          + "connections opened from then on (a replica added behind the balancer).")
  Path targetsFile;

  @Option(names = "--rtt", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
      description = "The round-trip time to emulate, e.g. 1ms (zones), 20ms (nearby regions), 150ms (continents).")
  Duration rtt;

  @Option(names = "--rtt-jitter", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
      description = "Each round trip varies within ±this (uniformly, never reordering bytes); at most the RTT "
          + "(default: ${DEFAULT-VALUE}).")
  Duration jitter;

  @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "0%", converter = LinkConfig.LossConverter.class,
      description = "Packets lost, e.g. 1%%: a UDP datagram is dropped; a TCP chunk is held back one more RTT with every "
          + "byte behind it, the stall a retransmission causes (no congestion control is emulated) (default: ${DEFAULT-VALUE}).")
  double loss;

  @Option(names = "--event-loops", paramLabel = "N", defaultValue = "1",
      description = "Event loops the connections are spread over (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Option(names = "--report-every", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How often to log the connections carried (default: ${DEFAULT-VALUE}).")
  Duration reportEvery;

  @Option(names = "--stop-after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop after this long (default: run until stopped).")
  Duration stopAfter;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RoundRobinTargets watched = null;
    if (targetsFile != null) {
      if (!Files.isReadable(targetsFile)) {
        throw new IllegalArgumentException("Invalid value for --targets-file: " + targetsFile + " cannot be read");
      }
      watched = new RoundRobinTargets(to);
    }
    LinkConfig config = new LinkConfig(listen, watched != null ? watched : Targets.of(to), rtt, jitter, eventLoops, loss);
    if (reportEvery.toMillis() < 1) {
      throw new IllegalArgumentException("Invalid value for --report-every: " + DurationConverter.format(reportEvery)
          + " (must be at least 1ms)");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "link-shutdown");
    try {
      LatencyLink link = LatencyLink.start(vertx, config).await(30, TimeUnit.SECONDS);
      out.printf("link: listening on %s, forwarding each connection to %s, %s: every byte +%s each way, "
              + "a new connection's first bytes +%s more%n", new HostPort(listen.host(), link.port()),
          config.targets().describe(), config.describe(), DurationConverter.format(rtt.dividedBy(2)),
          DurationConverter.format(rtt));
      out.flush();
      if (watched != null) {
        new TargetsFile(targetsFile, watched, message -> {
          out.println(message);
          out.flush();
        }).watch(vertx);
      }
      StatsLine line = new StatsLine(link);
      vertx.setPeriodic(reportEvery.toMillis(), id -> {
        out.println(line.next());
        out.flush();
      });
      Runtime.getRuntime().addShutdownHook(hook);
      if (stopAfter == null) {
        stop.await();
      } else {
        stop.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
      }
      out.println(line.next().replaceFirst("^link:", "link: stopping;"));
      out.flush();
      link.close().await(10, TimeUnit.SECONDS);
      return 0;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // already shutting down, or never registered
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** One log line: totals, and what changed since the last line. */
  static final class StatsLine {
    private final LatencyLink link;
    private LinkStats.Snapshot last = new LinkStats.Snapshot(0, 0, 0, 0, 0);

    StatsLine(LatencyLink link) {
      this.link = link;
    }

    String next() {
      LinkStats.Snapshot s = link.stats();
      String line = String.format("link: %,d connections opened (+%,d), %,d active, %,d closed%s; %s up, %s down",
          s.opened(), s.opened() - last.opened(), s.active(), s.closed(),
          s.refused() == 0 ? "" : String.format(", %,d refused by the upstream", s.refused()),
          bytes(s.bytesUp()), bytes(s.bytesDown()))
          + (link.config().loss() == 0 ? "" : String.format("; lost: %,d UDP datagrams dropped, %,d TCP chunks held back",
              link.datagramsDropped(), link.chunksHeldBack()));
      last = s;
      return line;
    }

    static String bytes(long n) {
      return n >= 10L << 20 ? String.format("%,d MiB", n >> 20) : n >= 10 << 10 ? String.format("%,d KiB", n >> 10)
          : String.format("%,d B", n);
    }
  }
}
