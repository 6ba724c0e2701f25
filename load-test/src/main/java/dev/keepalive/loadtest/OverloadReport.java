package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What the overload benchmark prints and decides from its measurements: goodput as a share of capacity, p99s by
 * outcome, the 503s and 504s, the admission limit's range and its timeline, and when the warm-up has settled.
 * Pure: {@link OverloadBenchmark} runs the services and the load and hands its recordings here.
 */
final class OverloadReport {
  private OverloadReport() {}

  /** One offered rate: what came back, second by second, and the admission limit each second. */
  record Level(String name, double offered, Recording recording, List<Integer> limits, double capacity) {
    long count(String kind) {
      return recording.errors().getOrDefault(kind, 0L);
    }

    long ok() {
      return recording.requests() - recording.failed();
    }

    double okPerSecond() {
      return ok() / recording.elapsedSeconds();
    }

    double goodputShare() {
      return capacity == 0 ? 0 : okPerSecond() / capacity;
    }

    double p99Ms(String kind) {
      Histogram h = recording.latency(kind);
      return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0;
    }

    /** Answers by outcome, per second of the window. */
    List<Map<String, Long>> perSecond() {
      return recording.outcomesTimeline();
    }

    /** Answers by outcome, per second of the window in which their requests were (meant to be) sent. */
    List<Map<String, Long>> perSendSecond() {
      return recording.outcomesBySendSecond();
    }

    /** The same measurements, goodput taken as a share of {@code newCapacity}. */
    Level against(double newCapacity) {
      return new Level(name, offered, recording, limits, newCapacity);
    }
  }

  /** A level's name: its multiple of capacity, "2x", "2.5x". */
  static String levelName(double multiple) {
    return LoadPlan.trim(multiple) + "x";
  }

  /**
   * Whether two warm-up rounds in a row agree within 15 % of the higher: then the JIT has settled. The first round
   * ({@code last} not above 0) never has.
   */
  static boolean settled(double last, double current) {
    return last > 0 && Math.abs(current - last) <= 0.15 * Math.max(current, last);
  }

  static String warmUpLine(int round, double capacity) {
    return String.format("warm-up round %d (not reported): %.1f successful fan-outs/s", round, capacity);
  }

  static String warmUpSheddingLine(long shed) {
    return String.format("warm-up of the gateway under test at 2x (not reported): %d answers 503", shed);
  }

  /**
   * A note when the JVM's collector stops every thread for milliseconds: the driver shares the JVM with the gateway
   * and the upstream, and at 2x only about 90 answers are 503s, so their p99 is the slowest one, and one G1 pause
   * (10-13 ms measured here, about one every 3 s) is enough. ZGC's pauses are under a millisecond.
   */
  static Optional<String> collectorNote(List<String> collectors) {
    if (collectors.stream().anyMatch(name -> name.startsWith("ZGC") || name.startsWith("Shenandoah"))) {
      return Optional.empty();
    }
    return Optional.of("note: this JVM's collector (" + String.join(", ", collectors) + ") pauses every "
        + "thread for milliseconds at times, and one pause can be a level's p99 of 503s; "
        + "java -XX:+UseZGC -jar load-test.jar overload measures without them");
  }

  static String capacityLine(double capacity, int clients, Duration window) {
    return String.format("capacity: %.1f successful fan-outs/s (%d clients, closed model, %s)", capacity, clients,
        DurationConverter.format(window));
  }

  static String capacityAgainLine(double after, double higher) {
    return String.format("capacity again after the levels: %.1f/s; goodput below is a share of %.1f/s, the higher",
        after, higher);
  }

  static String slowCapacityLine(double capacity, double factor, Duration window) {
    return String.format("capacity with the upstream %sx slower (the slow spell's middle third): %.2f successful "
        + "fan-outs/s (closed model, %s)", LoadPlan.trim(factor), capacity, DurationConverter.format(window));
  }

  /**
   * The capacity of the spell as it ran: the normal capacity for two thirds of it, the slow one for the middle third.
   * Goodput against the normal capacity alone cannot reach 1 there, whatever the admission does.
   */
  static double spellCapacity(double normal, double slow) {
    return (2 * normal + slow) / 3;
  }

  static String spellGoodputLine(Level spell, double slowCapacity) {
    double capacity = spellCapacity(spell.capacity(), slowCapacity);
    return String.format("  slow spell against the capacity of the moment (%.1f/s for two thirds, %.2f/s for one: "
        + "%.2f/s): goodput %.2fx", spell.capacity(), slowCapacity, capacity, spell.against(capacity).goodputShare());
  }

  static String header() {
    return String.format("%-10s %9s %8s %7s %8s %9s %9s %6s %6s %s", "offered", "req/s", "answers", "ok/s",
        "goodput", "p99 ok", "p99 503", "503s", "504s", "limit min-max");
  }

  static String row(Level l) {
    int min = l.limits().stream().mapToInt(Integer::intValue).min().orElse(-1);
    int max = l.limits().stream().mapToInt(Integer::intValue).max().orElse(-1);
    return String.format("%-10s %9.1f %8d %7.1f %7.2fx %9s %9s %6d %6d %d-%d", l.name(), l.offered(),
        l.recording().requests(), l.okPerSecond(), l.goodputShare(), ms(l.p99Ms("ok")), ms(l.p99Ms("http_503")),
        l.count("http_503"), l.count("http_504"), min, max);
  }

  /** Second by second: the limit, and the answers by outcome. */
  static String timeline(Level l) {
    StringBuilder sb = new StringBuilder("  second: limit ok/503/504\n  ");
    List<Map<String, Long>> seconds = l.perSecond();
    for (int i = 0; i < seconds.size(); i++) {
      Map<String, Long> s = seconds.get(i);
      sb.append(String.format("%d: %s %d/%d/%d", i + 1, i < l.limits().size() ? l.limits().get(i) : "-",
          s.getOrDefault("ok", 0L), s.getOrDefault("http_503", 0L), s.getOrDefault("http_504", 0L)));
      sb.append((i + 1) % 6 == 0 ? "\n  " : "   ");
    }
    return sb.toString().stripTrailing();
  }

  static String ms(double v) {
    return Double.isNaN(v) ? "-" : v < 10 ? String.format("%.2f ms", v) : String.format("%.0f ms", v);
  }
}
