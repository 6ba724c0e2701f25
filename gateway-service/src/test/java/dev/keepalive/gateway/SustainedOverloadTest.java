package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ten times the gateway's capacity for 30 s (80 users against a limit of 8 fan-outs at once), with a
 * 128 MiB heap: every request is answered (mostly 200 or 503), the health check keeps answering, and the gateway
 * never runs out of its heap (resident memory is printed, not asserted: it depends on the JVM and the machine).
 */
class SustainedOverloadTest {
  static final int CAPACITY = 8;
  static final int USERS = 10 * CAPACITY;
  static final Duration LOAD = Duration.ofSeconds(30);

  @Test
  void tenTimesCapacityForThirtySeconds() throws Exception {
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults().withDelay(Delay.parse("10ms"))).await();
    try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
        "--port", "0", "--host", "127.0.0.1", "--upstream", upstream.baseUrl(), "--max-concurrent-fanouts",
        String.valueOf(CAPACITY), "--fan-out", "20", "--instances", "2")) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest fanout = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/fanout"))
          .timeout(Duration.ofSeconds(30)).build();
      // 10 s: on a 2-core machine at a load average of 30 a health check took more than 5 s now and then.
      HttpRequest health = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health"))
          .timeout(Duration.ofSeconds(10)).build();
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      AtomicInteger unanswered = new AtomicInteger();
      AtomicInteger healthChecks = new AtomicInteger();
      AtomicInteger healthFailures = new AtomicInteger();
      AtomicInteger healthAnswered = new AtomicInteger();
      AtomicLong maxRss = new AtomicLong();
      Semaphore users = new Semaphore(USERS);
      long end = System.nanoTime() + LOAD.toNanos();
      long nextSample = 0;
      int sent = 0;
      while (System.nanoTime() < end && sent < 1_000_000) {
        if (!users.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        sent++;
        http.sendAsync(fanout, HttpResponse.BodyHandlers.ofString()).whenComplete((r, err) -> {
          if (err != null) unanswered.incrementAndGet();
          else statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
          users.release();
        });
        if (System.nanoTime() > nextSample) {
          nextSample = System.nanoTime() + 500_000_000L;
          maxRss.accumulateAndGet(gateway.rssMiB(), Math::max);
          healthChecks.incrementAndGet();
          http.sendAsync(health, HttpResponse.BodyHandlers.ofString()).whenComplete((r, err) -> {
            if (err != null || r.statusCode() != 200) {
              healthFailures.incrementAndGet();
              System.out.println("health check failed: " + (err != null ? err : r.statusCode() + " " + r.body()));
            }
            healthAnswered.incrementAndGet();
          });
        }
      }
      // Let the last requests come back.
      assertThat(users.tryAcquire(USERS, 60, TimeUnit.SECONDS)).as("every request answered").isTrue();
      // And the health checks still in flight (each has a 5 s timeout, so this ends).
      Stack.await("every health check to be answered", Duration.ofSeconds(30),
          () -> healthAnswered.get() == healthChecks.get());
      System.out.printf("10x overload for %ds: %d fan-outs sent, answers %s, %d unanswered, %d health checks, %d failed, "
          + "max RSS %d MiB%n", LOAD.toSeconds(), sent, statuses, unanswered.get(), healthChecks.get(),
          healthFailures.get(), maxRss.get());

      assertThat(gateway.process.isAlive()).as("gateway still running").isTrue();
      assertThat(unanswered.get()).isZero();
      // Served, shed at once, or (on a starved machine) timed out with a 504: never a hang or a reset.
      assertThat(statuses.keySet()).contains(200, 503).isSubsetOf(200, 503, 504);
      assertThat(healthFailures.get()).isZero();
      assertThat(healthChecks.get()).isGreaterThan(20);
      // Memory stayed bounded: the heap is capped at 128 MiB and an OutOfMemoryError would have ended the process.
      assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
    } finally {
      upstream.close().await();
    }
  }
}
