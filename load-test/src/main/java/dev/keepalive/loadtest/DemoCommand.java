package dev.keepalive.loadtest;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code load-test demo}: compare with defaults that finish in about a minute on a 2-core machine, through
 * a 20 ms round trip (a call to a nearby region) so that a handshake costs what it costs on a network. One
 * request at a time: each request's latency is then its fan-out's own cost (10 rounds of 2 RTTs without
 * keep-alive, 10 of 1 with a pool of 10, 100 of 1 with a pool of 1, about 1 with HTTP/2 and HTTP/3), not queueing
 * behind other requests (at 4, a pool of 1 would take 8 s per request). HTTP/3 comes last, on one QUIC connection
 * (always over TLS 1.3): its row shows the round trips its handshake waited for, as the link counted them. Its
 * JIT warm-up share also loads QUIC's native code (quiche, BoringSSL), so the measured run does not pay for that.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The comparison with defaults chosen to end in about a minute: keep-alive off, a keep-alive pool of 10, "
        + "a pool of 1, HTTP/2 on one connection, pipelining on one connection and HTTP/3 (QUIC, over TLS 1.3) on one "
        + "connection, 100 upstream calls per request, "
        + "through a 20 ms round trip between gateway and upstream (the latency link).",
    footer = {"", "Defaults: as compare, but --configs off,pool10,pool1,h2,pipelined,h3, --rtt 20ms, --concurrency 1, --duration 8s per configuration and "
        + "--jit-warmup 6s (1s per configuration); --json reports/demo.json, --html reports/demo.html. Every compare flag is accepted; "
        + "--rtt 0 runs on plain loopback."})
final class DemoCommand extends ComparisonCommand {

  static final Defaults DEFAULTS = new Defaults(
      new LoadPlan(0, 1, 64, Duration.ofSeconds(8), Duration.ZERO, 100, Duration.ofSeconds(30)),
      List.of("off", "pool10", "pool1", "h2", "pipelined", "h3"), "2ms", 10, 100, Duration.ofSeconds(6), "demo", Duration.ofMillis(20));

  @Override
  Defaults defaults() {
    return DEFAULTS;
  }

  @Override
  String title() {
    return "Keep-alive demo: the same load through six upstream client configurations";
  }
}
