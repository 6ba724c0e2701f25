package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.AdmissionSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The open model's sending, in a second or two on loopback (fast enough for PIT to run it per mutant): exactly
 * rate × window requests, each counted in the second it was due, every answer recorded by kind. OpenModelTest shows
 * on longer runs that a slower upstream does not lower the sending rate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadDriverTest {
  private static Services services;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @BeforeAll
  static void start() throws Exception {
    // Fixed admission: the adaptive limit starts low and could shed a first request.
    services = Services.start("1ms", g -> g.withClient(true, 10, false, false, 10)
        .with(b -> b.admission = AdmissionSettings.fixed()));
  }

  @AfterAll
  static void stop() throws Exception {
    services.close();
  }

  @AfterEach
  void closeDriver() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static LoadPlan open(double rate, Duration window, int connections, int calls) {
    return new LoadPlan(rate, 1, connections, window, Duration.ZERO, calls, Duration.ofSeconds(5));
  }

  private Recording phase(LoadDriver driver, Duration window, List<Recording.Interval> ticks) throws Exception {
    // The driver's one event loop started first, so that the phase begins right after the recording does: a request
    // due at 0.9 s is then counted in the first second even on a busy machine.
    io.vertx.core.Future.<Void>future(started -> vertx.runOnContext(v -> started.complete())).await(10, TimeUnit.SECONDS);
    Recording recording = new Recording(System.nanoTime());
    driver.phase(window, recording, r -> ticks.add(r.timeline().get(r.timeline().size() - 1)))
        .await(30, TimeUnit.SECONDS);
    driver.close().await(10, TimeUnit.SECONDS);
    return recording;
  }

  @Test
  void tenASecondForOneAndAHalfSecondsIsFifteenRequestsAllAnsweredByTheGateway() throws Exception {
    long fanoutsBefore = services.gatewayCounter("gateway.fanout.requests");
    long callsBefore = services.upstreamCounter("upstream.requests");
    long openedBefore = services.gatewayCounter("gateway.upstream.connections.opened");
    LoadDriver driver = new LoadDriver(vertx, Target.parse("--target", services.target()),
        open(10, Duration.ofMillis(1500), 15, 2));
    List<Recording.Interval> ticks = new CopyOnWriteArrayList<>();
    Recording r = phase(driver, Duration.ofMillis(1500), ticks);

    assertThat(r.requests()).isEqualTo(15);
    assertThat(r.failed()).isZero();
    // The gateway answered each of them, with 2 upstream calls each.
    assertThat(services.gatewayCounter("gateway.fanout.requests") - fanoutsBefore).isEqualTo(15);
    assertThat(services.upstreamCounter("upstream.requests") - callsBefore).isEqualTo(30);
    // Request i was due at i/10 s: 10 in the first second, 5 in the next half.
    assertThat(r.outcomesBySendSecond()).containsExactly(Map.of("ok", 10L), Map.of("ok", 5L));
    // The connections the gateway's answers report are the ones it opened.
    assertThat(r.newConnections()).isPositive()
        .isEqualTo(services.gatewayCounter("gateway.upstream.connections.opened") - openedBefore);
    // Latency from the intended send time: at least the upstream's 1 ms.
    assertThat(r.latency().getValueAtPercentile(50)).isGreaterThanOrEqualTo(1000);
    // The phase closes the recording when the last answer is in: its timeline's last interval counts all 15.
    assertThat(r.timeline().get(r.timeline().size() - 1).totalRequests()).isEqualTo(15);
    assertThat(ticks).as("a tick a second while sending").isNotEmpty();
    // As many driver connections as requests: none can have waited for one, however slow the answers.
    assertThat(driver.saturationWarning()).isNull();
  }

  @Test
  void eachAnswerIsRecordedByKindAndRequestsWaitingForTheDriversOneConnectionAreReported() throws Exception {
    // A target of our own, answering in turn: a gateway's JSON naming 3 new connections, JSON it cannot read,
    // a 503 without Retry-After (once), a 503 with it (three times); each after 150 ms. On the driver's one
    // connection they queue.
    AtomicInteger n = new AtomicInteger();
    List<String> uris = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      uris.add(req.uri());
      int i = n.getAndIncrement() % 8;
      vertx.setTimer(150, t -> {
        switch (i) {
          case 0, 4 -> req.response().putHeader("content-type", "application/json").end("{\"newConnections\":3}");
          case 1, 5 -> req.response().putHeader("content-type", "application/json").end("not json");
          case 2 -> req.response().setStatusCode(503).end();
          default -> req.response().setStatusCode(503).putHeader("retry-after", "1").end();
        }
      });
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    // No --calls: the request leaves the fan-out to the gateway.
    LoadDriver driver = new LoadDriver(vertx, Target.parse("--target", "http://127.0.0.1:" + server.actualPort() + "/base/"),
        open(10, Duration.ofMillis(800), 1, 0));
    Recording r = phase(driver, Duration.ofMillis(800), new CopyOnWriteArrayList<>());

    assertThat(r.requests()).isEqualTo(8);
    assertThat(r.failed()).isEqualTo(4);
    assertThat(r.errors()).containsExactlyInAnyOrderEntriesOf(Map.of("http_503", 3L, "http_503_without_retry_after", 1L));
    assertThat(r.newConnections()).isEqualTo(6);
    assertThat(uris).hasSize(8).containsOnly("/base/fanout");
    assertThat(r.outcomesBySendSecond()).containsExactly(Map.of("ok", 4L, "http_503", 3L,
        "http_503_without_retry_after", 1L));
    // A request every 100 ms, each answered 150 ms after the last on the one connection: they pile up in the driver.
    assertThat(driver.saturationWarning()).matches("up to \\d+ requests were in flight but the driver has 1 "
        + "connections to the gateway, so some waited in the driver: raise --connections");
  }

  @Test
  void theClosedModelKeepsEachWorkersRequestInFlightOnAConnectionOfItsOwn() throws Exception {
    // A target of our own that holds each answer 100 ms and counts the requests it holds at once.
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      peak.accumulateAndGet(holding.incrementAndGet(), Math::max);
      vertx.setTimer(100, t -> {
        holding.decrementAndGet();
        req.response().end("ok");
      });
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    // 4 workers, --connections 1: the driver opens as many connections as workers, or they would queue in it.
    LoadPlan closed = new LoadPlan(0, 4, 1, Duration.ofMillis(300), Duration.ZERO, 0, Duration.ofSeconds(5));
    LoadDriver driver = new LoadDriver(vertx, Target.parse("--target", "http://127.0.0.1:" + server.actualPort()), closed);
    long phaseStart = System.nanoTime();
    Recording r = phase(driver, Duration.ofMillis(300), new CopyOnWriteArrayList<>());
    long phaseMicros = (System.nanoTime() - phaseStart) / 1_000;

    assertThat(peak.get()).as("the 4 workers' requests at the target at once").isEqualTo(4);
    assertThat(driver.saturationWarning()).as("4 in flight on 4 connections").isNull();
    // Each worker sends until the window ends, then waits for its last answer: at least one round of 4.
    assertThat(r.requests()).isGreaterThanOrEqualTo(4).isEqualTo(r.latency().getTotalCount());
    assertThat(r.failed()).isZero();
    // Latency from each send: at least the target's 100 ms, and never more than the phase that held it.
    assertThat(r.latency().getMinValue()).isGreaterThanOrEqualTo(100_000);
    assertThat(r.latency().getMaxValue()).isLessThanOrEqualTo(phaseMicros);
  }

  @Test
  void aRefusedConnectionIsNamedAndCountedInTheSecondItWasDue() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LoadDriver driver = new LoadDriver(vertx, Target.parse("--target", "http://127.0.0.1:" + port),
        open(10, Duration.ofMillis(500), 4, 0));
    Recording r = phase(driver, Duration.ofMillis(500), new CopyOnWriteArrayList<>());

    assertThat(r.requests()).isEqualTo(5);
    assertThat(r.failed()).isEqualTo(5);
    assertThat(r.errors()).containsExactly(Map.entry("connect_refused", 5L));
    assertThat(r.outcomesBySendSecond()).containsExactly(Map.of("connect_refused", 5L));
  }

  @Test
  void aWindowShorterThanOneSlotSendsNothingAndEnds() throws Exception {
    long before = services.gatewayCounter("gateway.fanout.requests");
    LoadDriver driver = new LoadDriver(vertx, Target.parse("--target", services.target()),
        open(1, Duration.ofMillis(900), 4, 2));
    Recording r = phase(driver, Duration.ofMillis(900), new CopyOnWriteArrayList<>());

    assertThat(r.requests()).isZero();
    assertThat(services.gatewayCounter("gateway.fanout.requests")).isEqualTo(before);
  }
}
