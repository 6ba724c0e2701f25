package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.gateway.AdmissionSettings;
import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.loadtest.OverloadReport.Level;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Goodput under overload, in one run on an embedded upstream and gateway: capacity at saturation (successful
 * fan-outs/s, closed model), then multiples of it offered in the open model, then a slow spell (the upstream's
 * service time multiplied mid-run, then restored) to see the admission limit follow it down and back up.
 * The orchestration only (services, load, timers); what is printed and computed from the recordings is
 * {@link OverloadReport}'s.
 */
final class OverloadBenchmark implements AutoCloseable {

  /** What to run. */
  record Settings(Delay upstreamDelay, int poolSize, int calls, Duration deadline, AdmissionSettings admission,
      int ceiling, int capacityClients, Duration capacityWindow, Duration levelWindow, List<Double> levels,
      double slowFactor, Duration slowSpell, double slowSpellLevel, int connections) {}

  private final Settings settings;
  private final UpstreamServer upstream;
  private final GatewayServer gateway;
  private final Vertx driverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  OverloadBenchmark(Settings settings) {
    this.settings = settings;
    this.upstream = UpstreamServer.start(UpstreamConfig.defaults().withDelay(settings.upstreamDelay()).withInstances(2))
        .await();
    this.gateway = GatewayServer.start(GatewayConfig.defaults(upstream.baseUrl()).with(b -> {
      b.poolSize = settings.poolSize();
      b.fanOut = settings.calls();
      b.maxFanOut = Math.max(b.maxFanOut, settings.calls());
      b.fanoutTimeout = settings.deadline();
      b.admission = settings.admission();
      b.maxConcurrentFanouts = settings.ceiling();
    })).await();
  }

  String gatewayUrl() {
    return gateway.baseUrl();
  }

  UpstreamServer upstream() {
    return upstream;
  }

  /** The gateway's admission limit now (its gauge). */
  int limit() {
    Gauge g = gateway.registry().find("gateway.admission.limit").gauge();
    return g == null ? -1 : (int) g.value();
  }

  /**
   * Capacity at saturation: successful fan-outs per second with {@code capacityClients} in a closed loop, through a
   * gateway of its own with the same client but fixed admission at that many: the path's capacity, not the
   * admission's (a closed-loop client refused with a 503 would retry at once, a storm of 503s).
   */
  Level capacity(Duration window) {
    return capacity(window, settings.capacityClients());
  }

  private Level capacity(Duration window, int clients) {
    GatewayServer fixed = GatewayServer.start(gateway.config().withPort(0).with(b -> {
      b.admission = AdmissionSettings.fixed();
      b.maxConcurrentFanouts = clients;
    })).await();
    try {
      return run(fixed, "capacity", new LoadPlan(0, clients, clients, window,
          Duration.ZERO, settings.calls(), settings.deadline().plusSeconds(5)), 0);
    } finally {
      fixed.close().await();
    }
  }

  /** {@code rate} fan-outs per second offered in the open model for {@code window}. */
  Level offer(String name, double rate, Duration window, double capacity) {
    return run(gateway, name, new LoadPlan(rate, 1, settings.connections(), window, Duration.ZERO, settings.calls(),
        settings.deadline().plusSeconds(5)), capacity);
  }

  /**
   * The open model at {@code rate} for the slow spell's length: the first third at the normal service time, the
   * second at {@code slowFactor} times it, the last third at the normal one again.
   */
  Level slowSpell(double rate, double capacity) {
    Delay normal = settings.upstreamDelay();
    Delay slow = slowDelay();
    long third = settings.slowSpell().toMillis() / 3;
    Vertx timers = driverVertx;
    timers.setTimer(third, t -> upstream.serviceTime().set(slow));
    timers.setTimer(2 * third, t -> upstream.serviceTime().set(normal));
    return offer("slow spell", rate, settings.slowSpell(), capacity);
  }

  /**
   * The capacity of the spell's middle third, measured as capacity is but with the upstream slowed: fewer clients
   * (the capacity clients over the slow factor, at least 1), so that the fan-outs they queue still fit the deadline.
   * Measured for a third of the spell.
   */
  double slowCapacity() {
    int clients = Math.max(1, (int) (settings.capacityClients() / settings.slowFactor()));
    upstream.serviceTime().set(slowDelay());
    try {
      return capacity(settings.slowSpell().dividedBy(3), clients).okPerSecond();
    } finally {
      upstream.serviceTime().set(settings.upstreamDelay());
    }
  }

  private Delay slowDelay() {
    return Delay.parse(DurationConverter.format(
        Duration.ofNanos((long) (settings.upstreamDelay().nextNanos() * settings.slowFactor()))));
  }

  private Level run(GatewayServer target, String name, LoadPlan plan, double capacity) {
    LoadDriver driver = new LoadDriver(driverVertx, Target.parse("--target", target.baseUrl()), plan);
    List<Integer> limits = new ArrayList<>();
    Recording recording = new Recording(System.nanoTime());
    try {
      driver.phase(plan.duration(), recording, r -> limits.add(limit()))
          .await(plan.duration().toMillis() + 2 * plan.timeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
      driver.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(name + ": the load phase did not end: " + e, e);
    }
    return new Level(name, plan.openModel() ? plan.rate() : 0, recording, limits, capacity);
  }

  /**
   * The whole benchmark, printed as it goes. Capacity is measured before the levels and again after them: on a busy
   * machine the first measurement runs on a cold JIT, so goodput is reported against the higher of the two.
   */
  List<Level> runAll(PrintWriter out) {
    List<Level> levels = new ArrayList<>();
    double warm = warmUp(out);
    warmUpShedding(warm, out);
    double before = capacity(settings.capacityWindow()).okPerSecond();
    out.println(OverloadReport.capacityLine(before, settings.capacityClients(), settings.capacityWindow()));
    out.flush();
    List<Level> offered = new ArrayList<>();
    for (double multiple : settings.levels()) {
      offered.add(offer(OverloadReport.levelName(multiple), multiple * before, settings.levelWindow(), before));
    }
    double c = before;
    if (!offered.isEmpty()) {
      double after = capacity(settings.capacityWindow()).okPerSecond();
      c = Math.max(before, after);
      out.println(OverloadReport.capacityAgainLine(after, c));
    }
    boolean spellToo = settings.slowFactor() > 1 && !settings.slowSpell().isZero();
    double slow = 0;
    if (spellToo) {
      slow = slowCapacity();
      out.println(OverloadReport.slowCapacityLine(slow, settings.slowFactor(), settings.slowSpell().dividedBy(3)));
    }
    out.println(OverloadReport.header());
    for (Level l : offered) {
      Level level = l.against(c);
      levels.add(level);
      out.println(OverloadReport.row(level));
    }
    out.flush();
    if (spellToo) {
      Level spell = slowSpell(settings.slowSpellLevel() * c, c);
      levels.add(spell);
      out.println(OverloadReport.row(spell));
      out.println(OverloadReport.spellGoodputLine(spell, slow));
      out.println(OverloadReport.timeline(spell));
      out.flush();
    }
    return levels;
  }

  /**
   * Closed-model rounds of 5 s until two in a row agree within 15 % (at most 6): a cold JIT on a busy machine can
   * make the first rounds several times slower, which would understate capacity and so the load offered.
   */
  private double warmUp(PrintWriter out) {
    double last = -1;
    for (int round = 1; round <= 6; round++) {
      double c = capacity(Duration.ofSeconds(5)).okPerSecond();
      out.println(OverloadReport.warmUpLine(round, c));
      out.flush();
      if (OverloadReport.settled(last, c)) {
        return c;
      }
      last = c;
    }
    return last;
  }

  /**
   * The gateway under test, twice the warm-up capacity for 5 s: the capacity rounds run through gateways of their own
   * with fixed admission, which never sheds, so without this the 2x level's first 503s would be the JVM's first
   * (class loading, cold JIT): at 2x only about 90 answers are 503s, so one or two of them are its p99.
   */
  private void warmUpShedding(double capacity, PrintWriter out) {
    Level shed = offer("warm-up", 2 * Math.max(1, capacity), Duration.ofSeconds(5), capacity);
    out.println(OverloadReport.warmUpSheddingLine(shed.count("http_503")));
    out.flush();
  }

  @Override
  public void close() {
    gateway.close().await();
    upstream.close().await();
    driverVertx.close().await();
  }
}
