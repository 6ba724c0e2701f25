package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.AdmissionSettings;
import dev.keepalive.upstream.Delay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Overload through the load driver's open model, on an embedded upstream (20 ms) and gateway (pool of 2, 20 calls
 * per fan-out, 5 s deadline): small fan-outs and short windows keep it quick. Counts, never timings.
 */
class OverloadGoodputTest {

  static OverloadBenchmark.Settings settings(AdmissionSettings admission) {
    return new OverloadBenchmark.Settings(Delay.parse("20ms"), 2, 20, Duration.ofSeconds(5), admission, 64, 4,
        Duration.ofSeconds(4), Duration.ofSeconds(10), List.of(10.0), 10, Duration.ofSeconds(18), 2, 1024);
  }

  @Test
  void tenTimesCapacityKeepsServingWithoutTimeoutsOnceTheLimitHasAdapted() throws Exception {
    try (OverloadBenchmark bench = new OverloadBenchmark(settings(AdmissionSettings.defaults()))) {
      bench.offer("warm-up", 10, Duration.ofSeconds(5), 0); // JIT warm-up of both paths (admitted and shed), not counted
      double capacity = bench.capacity(Duration.ofSeconds(4)).okPerSecond();
      assertThat(capacity).as("capacity, successful fan-outs/s").isGreaterThan(0);

      HealthPoller health = new HealthPoller(bench.gatewayUrl() + "/health");
      health.start();
      OverloadReport.Level level = bench.offer("10x", 10 * capacity, Duration.ofSeconds(10), capacity);
      health.finish();
      System.out.println(OverloadReport.header() + "\n" + OverloadReport.row(level) + "\n"
          + OverloadReport.timeline(level) + "\nhealth checks " + health.ok + " ok, " + health.failed + " failed");

      List<Map<String, Long>> seconds = level.perSecond().subList(0, 10);
      long secondsWithSuccess = seconds.stream().filter(s -> s.getOrDefault("ok", 0L) > 0).count();
      assertThat(secondsWithSuccess).as("seconds of the 10 s window with successful fan-outs").isGreaterThanOrEqualTo(9);
      long answers = level.recording().requests();
      long timeouts = level.count("http_504");
      assertThat(timeouts).as("504s among " + answers + " answers").isLessThanOrEqualTo(answers / 100);
      // Once the limit has adapted, no 504: counted by the second each request was SENT in (a 504 arrives a deadline
      // later, possibly after the window), so requests sent in seconds 4-10 and answered up to 5 s later all count.
      List<Map<String, Long>> bySend = level.perSendSecond();
      assertThat(bySend.stream().flatMap(s -> s.values().stream()).mapToLong(Long::longValue).sum())
          .as("every answer, grouped by the second its request was sent").isEqualTo(answers);
      long lateTimeouts = bySend.subList(Math.min(3, bySend.size()), bySend.size()).stream()
          .mapToLong(s -> s.getOrDefault("http_504", 0L)).sum();
      assertThat(lateTimeouts).as("504s for requests sent after the first 3 s, once the limit has adapted").isZero();
      // Every other answer is a 503 with Retry-After (the driver counts one without it apart).
      assertThat(level.recording().errors().keySet()).isSubsetOf(Set.of("http_503", "http_504"));
      assertThat(level.count("http_503")).as("shed at once").isPositive();
      assertThat(health.failed.get()).as("/health failures").isZero();
      assertThat(health.ok.get()).as("/health answers").isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void theLimitRisesAgainAfterASlowSpell() throws Exception {
    try (OverloadBenchmark bench = new OverloadBenchmark(settings(AdmissionSettings.defaults()))) {
      double capacity = bench.capacity(Duration.ofSeconds(3)).okPerSecond();
      OverloadReport.Level spell = bench.slowSpell(2 * capacity, capacity);
      System.out.println(OverloadReport.row(spell) + "\n" + OverloadReport.timeline(spell));

      List<Integer> limits = spell.limits();
      int third = 6; // an 18 s window: 6 s normal, 6 s ten times slower, 6 s normal again
      int lowestWhileSlow = limits.subList(third, 2 * third).stream().mapToInt(Integer::intValue).min().orElseThrow();
      int highestAfter = limits.subList(2 * third, Math.min(limits.size(), 3 * third)).stream()
          .mapToInt(Integer::intValue).max().orElseThrow();
      assertThat(lowestWhileSlow).as("limit while slow").isLessThan(highestAfter);
      long admittedAfter = spell.perSecond().subList(2 * third + 2, 3 * third).stream()
          .mapToLong(s -> s.getOrDefault("ok", 0L)).sum();
      assertThat(admittedAfter).as("successful fan-outs in the last 4 s, the upstream fast again").isPositive();
    }
  }

  /** Asks /health every 250 ms from a thread of its own until stopped. */
  static final class HealthPoller extends Thread {
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final String url;

    HealthPoller(String url) {
      this.url = url;
      setDaemon(true);
    }

    @Override
    public void run() {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
      while (running.get()) {
        try {
          int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
          (status == 200 ? ok : failed).incrementAndGet();
          Thread.sleep(250); // a pace, not a synchronisation
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          failed.incrementAndGet();
        }
      }
    }

    void finish() throws InterruptedException {
      running.set(false);
      join(10_000);
    }
  }
}
