package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.gateway.AdmissionSettings;
import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.gateway.LoadBalancing;
import dev.keepalive.gateway.UpstreamAddress;
import dev.keepalive.gateway.UpstreamEndpoints;
import dev.keepalive.gateway.UpstreamReplicas;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.link.RoundRobinTargets;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Keep-alive's scale-out trap, embedded: two upstream replicas under load, a third started at half time, and
 * where the calls go, three ways. Each way runs on fresh replicas, link and gateway; every count is read from the
 * replicas' own counters (and the gateway's for failures), in this JVM.
 */
final class ScaleOutScenario {

  /** Replica names, in start order: A and B from the start, C at half time. */
  static final List<String> REPLICAS = List.of("A", "B", "C");
  /** How often each replica's calls are sampled for the chart. */
  static final Duration SAMPLE = Duration.ofMillis(500);

  /**
   * @param window each way's load, the third replica starting at its middle
   * @param maxAge way 2's --max-connection-age
   * @param poolSize the gateway's pool: to the link (ways 1 and 2), to each replica (way 3)
   * @param concurrency fan-outs in flight (closed model)
   */
  record Settings(Duration window, Duration maxAge, int poolSize, int concurrency, int calls, Delay delay) {
    Settings {
      dev.keepalive.common.Check.positive("--duration", window);
      dev.keepalive.common.Check.positive("--max-connection-age", maxAge);
      dev.keepalive.common.Check.between("--pool-size", poolSize, 1, 1000);
      dev.keepalive.common.Check.between("--concurrency", concurrency, 1, 1000);
      dev.keepalive.common.Check.between("--calls", calls, 1, 10_000);
    }

    String describe() {
      return String.format("%s per way, replica C started at %s; %d fan-outs of %d calls in flight (closed model); "
              + "gateway pool %d; upstream service time %s; way 2's max connection age %s (±10 %% jitter)",
          DurationConverter.format(window), DurationConverter.format(window.dividedBy(2)), concurrency, calls, poolSize,
          delay.spec(), DurationConverter.format(maxAge));
    }
  }

  /** The three ways. */
  enum Way {
    LINK_KEEP_ALIVE("link, keep-alive", "behind the link (round robin per connection, like kube-proxy), plain keep-alive"),
    LINK_MAX_AGE("link, max age", "behind the link, --max-connection-age"),
    CLIENT_BALANCED("client round-robin", "client-side balancing: --upstream A,B,C --load-balancer round-robin");

    final String shortName;
    final String label;

    Way(String shortName, String label) {
      this.shortName = shortName;
      this.label = label;
    }

    boolean linked() {
      return this != CLIENT_BALANCED;
    }
  }

  /** Calls each replica had answered at one moment, in seconds since the way's load began. */
  record Sample(double t, long[] calls) {}

  /**
   * What one way came to.
   *
   * @param secondHalf calls each replica answered in the second half (from its start to the end)
   * @param acceptedByC connections replica C accepted
   * @param failedCalls upstream calls the gateway reports failed (after any retry)
   * @param failedOver calls refused by one replica and sent to another
   * @param drained connections closed at their maximum age
   * @param failedFanouts fan-outs not answered 200
   * @param cFirstCallAfter seconds from C's start to its first answered call, or -1 if it answered none
   */
  record Outcome(Way way, long[] secondHalf, long acceptedByC, long failedCalls, long failedOver, long drained,
      long fanouts, long failedFanouts, double cStartedAt, double cFirstCallAfter, List<Sample> samples) {

    long secondHalfTotal() {
      long sum = 0;
      for (long c : secondHalf) {
        sum += c;
      }
      return sum;
    }

    double share(int replica) {
      long total = secondHalfTotal();
      return total == 0 ? 0 : (double) secondHalf[replica] / total;
    }
  }

  private final Settings settings;

  ScaleOutScenario(Settings settings) {
    this.settings = settings;
  }

  List<Outcome> runAll(java.io.PrintWriter out) {
    List<Outcome> outcomes = new ArrayList<>();
    Way[] ways = Way.values();
    for (int i = 0; i < ways.length; i++) {
      out.printf("[%d/%d] %s%s%n", i + 1, ways.length, ways[i].label,
          ways[i] == Way.LINK_MAX_AGE ? " " + DurationConverter.format(settings.maxAge()) : "");
      out.flush();
      Outcome o = run(ways[i]);
      out.printf("  C: %d calls in the second half (%.1f %%), %d connections accepted; %d failed calls%n",
          o.secondHalf()[2], 100 * o.share(2), o.acceptedByC(), o.failedCalls());
      out.flush();
      outcomes.add(o);
    }
    return outcomes;
  }

  /** One way: fresh replicas A and B, C started at half time, the gateway (behind the link or balancing itself). */
  Outcome run(Way way) {
    UpstreamConfig upstream = UpstreamConfig.defaults().withDelay(settings.delay()).withPort(0);
    List<UpstreamServer> started = new CopyOnWriteArrayList<>();
    // The driver and the L4 balancer each on a Vert.x of their own: neither waits behind the other or the gateway.
    Vertx side = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx linkVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    GatewayServer gateway = null;
    try {
      started.add(UpstreamServer.start(upstream).await());
      started.add(UpstreamServer.start(upstream).await());
      // C's port is chosen now: way 3's gateway lists it from the start, and its connects are refused until C runs.
      int cPort = freePort();
      RoundRobinTargets targets = new RoundRobinTargets(List.of(hostPort(started.get(0).port()),
          hostPort(started.get(1).port())));
      String gatewayUpstream;
      UpstreamReplicas replicas;
      if (way.linked()) {
        LatencyLink link = LatencyLink.start(linkVertx, new LinkConfig(new HostPort("127.0.0.1", 0), targets, Duration.ZERO,
            Duration.ZERO, 1)).await();
        gatewayUpstream = "http://" + link.address();
        replicas = UpstreamReplicas.single(UpstreamAddress.parse(gatewayUpstream))
            .withMaxConnectionAge(way == Way.LINK_MAX_AGE ? settings.maxAge() : Duration.ZERO);
      } else {
        gatewayUpstream = started.get(0).baseUrl();
        replicas = new UpstreamReplicas(UpstreamEndpoints.of(started.get(0).baseUrl(), started.get(1).baseUrl(),
            "http://127.0.0.1:" + cPort), LoadBalancing.ROUND_ROBIN, Duration.ZERO);
      }
      gateway = GatewayServer.start(GatewayConfig.defaults(gatewayUpstream).withReplicas(replicas)
          .withFanOut(settings.calls())
          .with(b -> {
            b.poolSize = settings.poolSize();
            // Generous deadlines and no shedding: a busy machine makes calls slow, never failed.
            b.requestTimeout = Duration.ofSeconds(10);
            b.fanoutTimeout = Duration.ofSeconds(30);
            b.maxConcurrentFanouts = 10_000;
            b.admission = AdmissionSettings.fixed();
            b.maxWaitQueue = -1;
          })).await();
      return load(way, gateway, started, targets, upstream.withPort(cPort), side);
    } finally {
      if (gateway != null) {
        gateway.close().await();
      }
      side.close().await();
      linkVertx.close().await();
      for (UpstreamServer s : started) {
        s.close().await();
      }
    }
  }

  private Outcome load(Way way, GatewayServer gateway, List<UpstreamServer> started, RoundRobinTargets targets,
      UpstreamConfig c, Vertx side) {
    LoadPlan plan = new LoadPlan(0, settings.concurrency(), settings.concurrency(), settings.window(), Duration.ZERO,
        settings.calls(), Duration.ofSeconds(60));
    LoadDriver driver = new LoadDriver(side, Target.parse("--target", gateway.baseUrl()), plan);
    Recording recording = new Recording(System.nanoTime());
    List<Sample> samples = new CopyOnWriteArrayList<>();
    long begin = System.nanoTime();
    AtomicReference<List<UpstreamServer>> replicas = new AtomicReference<>(List.copyOf(started));
    samples.add(new Sample(0, calls(replicas.get())));
    long sampler = side.setPeriodic(SAMPLE.toMillis(), id -> samples.add(new Sample(seconds(begin), calls(replicas.get()))));
    Future<Void> phase = driver.phase(settings.window(), recording, r -> {});

    sleepUntil(begin + settings.window().toNanos() / 2);
    started.add(UpstreamServer.start(c).await());
    long[] atMid = calls(started);
    double cStartedAt = seconds(begin);
    long cStart = System.nanoTime();
    // C's first answered call, to 20 ms: when its line in the chart leaves 0.
    UpstreamServer cServer = started.get(2);
    AtomicReference<Double> firstCall = new AtomicReference<>(-1.0);
    long watch = side.setPeriodic(20, id -> {
      if (firstCall.get() < 0 && count(cServer.registry(), "upstream.requests", m -> true) > 0) {
        firstCall.set(seconds(cStart));
        side.cancelTimer(id);
      }
    });
    // The same moment for every way: the L4 balancer learns of C (ways 3's gateway has been trying it all along).
    targets.add(hostPort(c.port()));
    replicas.set(List.copyOf(started));

    try {
      phase.await(settings.window().toMillis() + 120_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(way.shortName + ": the load did not end", e);
    }
    side.cancelTimer(sampler);
    side.cancelTimer(watch);
    long[] atEnd = calls(started);
    samples.add(new Sample(seconds(begin), atEnd));
    driver.close().await();
    long[] secondHalf = new long[3];
    for (int i = 0; i < 3; i++) {
      secondHalf[i] = atEnd[i] - atMid[i];
    }
    MeterRegistry g = gateway.registry();
    return new Outcome(way, secondHalf, count(started.get(2).registry(), "upstream.connections.accepted", m -> true),
        count(g, "gateway.upstream.requests", m -> !"success".equals(m.getId().getTag("outcome"))),
        count(g, "gateway.upstream.retries", m -> "connect_refused".equals(m.getId().getTag("reason"))),
        count(g, "gateway.upstream.connections.closed", m -> "max_age".equals(m.getId().getTag("closed_by"))),
        recording.requests(), recording.failed(), cStartedAt, firstCall.get(), List.copyOf(samples));
  }

  /** Calls each replica has answered so far (0 for one not started). */
  private static long[] calls(List<UpstreamServer> replicas) {
    long[] calls = new long[3];
    for (int i = 0; i < replicas.size() && i < 3; i++) {
      calls[i] = count(replicas.get(i).registry(), "upstream.requests", m -> true);
    }
    return calls;
  }

  private static long count(MeterRegistry registry, String name, Predicate<Counter> which) {
    return (long) registry.find(name).counters().stream().filter(which).mapToDouble(Counter::count).sum();
  }

  private static double seconds(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1e9;
  }

  /** The scenario's own schedule (not a test's synchronisation): C starts at half time. */
  private static void sleepUntil(long nanos) {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static HostPort hostPort(int port) {
    return new HostPort("127.0.0.1", port);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
