package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The figures a run's JSON derives from its counts (rates, shares, percentiles, the predicted set-up), read back from
 * the JSON a user or a script gets. The counts themselves are checked against real services in RunCountsTest.
 */
class RunResultTest {
  private static final Target TARGET = new Target("127.0.0.1", 8080, "/fanout");
  private static final LoadPlan PLAN = new LoadPlan(0, 4, 4, Duration.ofSeconds(2), Duration.ZERO, 100,
      Duration.ofSeconds(10));

  /** 100 latencies below 2048 µs, which HdrHistogram holds exactly: 50 × 1.0 ms, 40 × 1.5, 9 × 1.9, 1 × 2.0. */
  static Histogram latencies() {
    Histogram h = new Histogram(60_000_000L, 3);
    h.recordValueWithCount(1000, 50);
    h.recordValueWithCount(1500, 40);
    h.recordValueWithCount(1900, 9);
    h.recordValue(2000);
    return h;
  }

  /** 100 gateway requests of 100 calls over 10 new connections, 20 ms RTT, a 0.1 ms loopback connect. */
  private static RunResult measured(CallLatency calls) {
    return measured(calls, new ServiceCounts.Tls(0, 0, 1.5));
  }

  /** The same run, with these TLS handshakes at the gateway. */
  private static RunResult measured(CallLatency calls, ServiceCounts.Tls gatewayTls) {
    ServiceCounts services = new ServiceCounts(
        new ServiceCounts.Gateway(100, 10_000, Map.of(), 10, 0, 0, calls, gatewayTls),
        new ServiceCounts.Upstream(10_000, 10, new ServiceCounts.Tls(0, 0, 2.0)));
    List<Recording.Interval> timeline = List.of(
        new Recording.Interval(1.0004, 60, 3, 1.0004, 1.9006, 2.0, 10, 60, 10),
        new Recording.Interval(2.0, 40, 2, 1.5, 1.9, 1.9, 0, 100, 10));
    return new RunResult("keep-alive", TARGET, PLAN, 2.0, 100, 5, Map.of("http_503", 5L), latencies(), timeline,
        services, List.of("a warning"), null)
        .withPath(new UpstreamPath(Duration.ofMillis(20), Duration.ZERO, 100_000, 10L, ConnectionSetup.TCP, 0));
  }

  @Test
  void ratesAndSharesAreTheCountsDividedAsDocumented() {
    JsonObject j = measured(new CallLatency(10_000, 2.0, 0.02, 0.05, 1.0)).toJson();
    assertThat(j.getString("name")).isEqualTo("keep-alive");
    assertThat(j.getString("target")).isEqualTo(TARGET.toString());
    assertThat(j.getJsonObject("load")).isEqualTo(PLAN.toJson());
    assertThat(j.getDouble("elapsedSeconds")).isEqualTo(2.0);
    assertThat(j.getLong("requests")).isEqualTo(100);
    assertThat(j.getLong("succeeded")).isEqualTo(95);
    assertThat(j.getLong("failed")).isEqualTo(5);
    assertThat(j.getJsonObject("errors").getLong("http_503")).isEqualTo(5);
    assertThat(j.getDouble("errorRate")).isEqualTo(0.05);
    assertThat(j.getDouble("throughput")).isEqualTo(50.0);
    assertThat(j.getDouble("upstreamCallsPerSecond")).isEqualTo(5000.0);
    assertThat(j.getDouble("handshakesPerRequest")).isEqualTo(0.1);
    assertThat(j.getDouble("requestsPerConnection")).isEqualTo(1000.0);
    assertThat(j.getDouble("callP50Ms")).isEqualTo(20.0);
    assertThat(j.getDouble("callP99Ms")).isEqualTo(50.0);
    assertThat(j.getJsonObject("services").getJsonObject("gateway").getLong("upstreamCalls")).isEqualTo(10_000);
    assertThat(j.getJsonObject("services").getJsonObject("upstream").getDouble("cpuMicrosPerCall")).isEqualTo(200.0);
    assertThat(j.getJsonArray("warnings")).containsExactly("a warning");
  }

  @Test
  void setUpIsConnectionsTimesRoundTripsTimesRttPlusTheLoopbackConnect() {
    RunResult r = measured(new CallLatency(10_000, 2.0, 0.02, 0.05, 1.0));
    JsonObject j = r.toJson();
    // 10 connections × (1 RTT × 20 ms + 0.1 ms) = 201 ms, of the calls' 1.0 s on a connection (2.0 s less 1.0 s queued).
    assertThat(j.getInteger("setupRoundTripsPerConnection")).isEqualTo(1);
    assertThat(j.getDouble("setupMs")).isEqualTo(201.0);
    assertThat(j.getString("setupBasis")).isEqualTo("predicted");
    assertThat(j.getDouble("setupShare")).isEqualTo(0.201);
    assertThat(j.getJsonObject("path").getDouble("handshakeMs")).isEqualTo(20.1);
    assertThat(j.getJsonObject("path").getDouble("loopbackConnectMs")).isEqualTo(0.1);
    assertThat(j.getJsonObject("path").getString("between")).isEqualTo("latency link");
    assertThat(r.overQuic()).isFalse();
    assertThat(r.withPath(r.path().speaking(ConnectionSetup.QUIC)).overQuic()).isTrue();
    assertThat(r.withPath(r.path().speaking(ConnectionSetup.quic(2, 2, 6))).overQuic()).isTrue();
    // QUIC as the link measured it: average round trips per handshake, rounded; QUIC+Retry with Retry packets.
    assertThat(ConnectionSetup.quic(0, 0, 0)).isEqualTo(ConnectionSetup.QUIC);
    assertThat(ConnectionSetup.quic(0, 3, 7).describe()).isEqualTo("2 QUIC");
    assertThat(ConnectionSetup.quic(2, 2, 6).describe()).isEqualTo("3 QUIC+Retry");
    assertThat(ConnectionSetup.quic(1, 0, 0).roundTrips()).as("a Retry costs a round trip more").isEqualTo(2);
    // TLS 1.3 over TCP: two round trips each.
    JsonObject tls = r.withPath(r.path().speaking(ConnectionSetup.TCP_TLS13)).toJson();
    assertThat(tls.getInteger("setupRoundTripsPerConnection")).isEqualTo(2);
    assertThat(tls.getDouble("setupMs")).isEqualTo(401.0);
    // TLS 1.2 over TCP: three round trips for a full handshake, two for a resumed one (docs/tls.md). 4 of the 10
    // connections full, 6 resumed: 4 × (3 × 20 + 0.1) + 6 × (2 × 20 + 0.1) = 481 ms.
    RunResult tls12 = measured(new CallLatency(10_000, 2.0, 0.02, 0.05, 1.0), new ServiceCounts.Tls(4, 6, 1.5));
    JsonObject j12 = tls12.withPath(tls12.path().speaking(ConnectionSetup.TCP_TLS12)).toJson();
    assertThat(j12.getInteger("setupRoundTripsPerConnection")).isEqualTo(3);
    assertThat(j12.getJsonObject("path").getJsonObject("setup").getInteger("resumedRoundTrips")).isEqualTo(2);
    assertThat(j12.getDouble("setupMs")).isEqualTo(481.0);
    assertThat(j12.getJsonObject("path").getDouble("handshakeMs")).as("a full handshake's").isEqualTo(60.1);
    // TLS 1.3 resumes in as many round trips as it takes in full: the same 10 connections cost 401 ms.
    assertThat(tls12.withPath(tls12.path().speaking(ConnectionSetup.TCP_TLS13)).toJson().getDouble("setupMs"))
        .isEqualTo(401.0);
  }

  @Test
  void theSetUpShareIsCappedAtTheWholeAndUnknownWithoutTimeOnAConnection() {
    // Predicted set-up (201 ms) above the calls' measured time on a connection (100 ms): the share is 1, not 2.01.
    assertThat(measured(new CallLatency(10_000, 1.1, 0.02, 0.05, 1.0)).toJson().getDouble("setupShare")).isEqualTo(1.0);
    // All of the calls' time spent waiting for a connection: no time on one to share out.
    JsonObject none = measured(new CallLatency(10_000, 1.0, 0.02, 0.05, 1.0)).toJson();
    assertThat(none.getValue("setupShare")).isNull();
    assertThat(none.getDouble("setupMs")).isEqualTo(201.0);
    // QUIC on bare loopback: the handshake is not measured, so not predicted.
    RunResult quic = measured(null).withPath(new UpstreamPath(Duration.ZERO, Duration.ZERO, 100_000, null,
        ConnectionSetup.QUIC, 0));
    assertThat(quic.toJson().getValue("setupMs")).isNull();
    assertThat(quic.toJson().getValue("setupBasis")).isNull();
    assertThat(quic.toJson().getJsonObject("path").getValue("handshakeMs")).isNull();
    assertThat(quic.toJson().getValue("callP50Ms")).isNull();
  }

  @Test
  void latencyPercentilesAndTheDistributionComeFromTheHistogram() {
    JsonObject latency = measured(null).toJson().getJsonObject("latency");
    assertThat(latency.getLong("count")).isEqualTo(100);
    assertThat(latency.getDouble("meanMs")).isEqualTo(1.291);
    assertThat(latency.getDouble("p50Ms")).isEqualTo(1.0);
    assertThat(latency.getDouble("p90Ms")).isEqualTo(1.5);
    assertThat(latency.getDouble("p99Ms")).isEqualTo(1.9);
    assertThat(latency.getDouble("p999Ms")).isEqualTo(2.0);
    assertThat(latency.getDouble("maxMs")).isEqualTo(2.0);
    JsonArray d = latency.getJsonArray("distribution");
    assertThat(d.getJsonObject(0).getDouble("ms")).isEqualTo(1.0);
    for (int i = 1; i < d.size(); i++) {
      assertThat(d.getJsonObject(i).getDouble("percentile")).isGreaterThanOrEqualTo(d.getJsonObject(i - 1).getDouble("percentile"));
      assertThat(d.getJsonObject(i).getDouble("ms")).isGreaterThanOrEqualTo(d.getJsonObject(i - 1).getDouble("ms"));
    }
    // 100 samples resolve percentiles up to 99 (1 - 1/100): the curve ends there, at the maximum.
    JsonObject last = d.getJsonObject(d.size() - 1);
    assertThat(last.getDouble("percentile")).isEqualTo(99.0);
    assertThat(last.getDouble("ms")).isEqualTo(2.0);
    assertThat(d.getJsonObject(d.size() - 2).getDouble("percentile")).as("one point at the finest percentile")
        .isLessThan(99.0);
  }

  @Test
  void oneSampleIsDrawnAsItsMedianAndTheTimelineIsRoundedToTheMicrosecond() {
    Histogram one = new Histogram(60_000_000L, 3);
    one.recordValue(1500);
    RunResult r = new RunResult("one", TARGET, PLAN, 1.0, 1, 0, Map.of(), one, measured(null).timeline(), null,
        List.of(), null);
    JsonObject j = r.toJson();
    JsonArray d = j.getJsonObject("latency").getJsonArray("distribution");
    // One sample resolves no tail: the curve stops at the median, every point at that one value.
    assertThat(d.getJsonObject(d.size() - 1).getDouble("percentile")).isEqualTo(50.0);
    for (int i = 0; i < d.size(); i++) {
      assertThat(d.getJsonObject(i).getDouble("ms")).isEqualTo(1.5);
      assertThat(d.getJsonObject(i).getDouble("percentile")).isLessThanOrEqualTo(50.0);
    }
    JsonObject first = j.getJsonArray("timeline").getJsonObject(0);
    assertThat(first.getDouble("t")).isEqualTo(1.0);
    assertThat(first.getDouble("p50Ms")).isEqualTo(1.0);
    assertThat(first.getDouble("p99Ms")).isEqualTo(1.901);
    assertThat(first.getLong("requests")).isEqualTo(60);
    assertThat(first.getLong("errors")).isEqualTo(3);
    assertThat(first.getLong("newConnections")).isEqualTo(10);
    JsonObject second = j.getJsonArray("timeline").getJsonObject(1);
    assertThat(second.getLong("totalRequests")).isEqualTo(100);
    assertThat(second.getLong("totalNewConnections")).isEqualTo(10);
    assertThat(second.getDouble("maxMs")).isEqualTo(1.9);
  }

  @Test
  void withoutSamplesOrServicesTheFiguresAreZeroOrAbsentNeverADivisionByZero() {
    RunResult r = new RunResult("empty", TARGET, PLAN, 0, 0, 0, Map.of(), new Histogram(60_000_000L, 3), List.of(),
        null, List.of(), null);
    JsonObject j = r.toJson();
    assertThat(j.getDouble("throughput")).isZero();
    assertThat(j.getDouble("errorRate")).isZero();
    assertThat(j.getJsonObject("latency").getDouble("meanMs")).isZero();
    assertThat(j.getJsonObject("latency").getDouble("p99Ms")).isZero();
    assertThat(j.getJsonObject("latency").getDouble("maxMs")).isZero();
    assertThat(j.getJsonObject("latency").getJsonArray("distribution")).isEmpty();
    for (String absent : List.of("services", "upstreamCallsPerSecond", "handshakesPerRequest", "requestsPerConnection",
        "path", "callP50Ms", "setupRoundTripsPerConnection", "setupMs", "setupShare")) {
      assertThat(j.getValue(absent)).as(absent).isNull();
    }
    assertThat(r.calls()).isNull();
    assertThat(r.upstreamCallRate()).isNull();
  }

  @Test
  void aWindowOfNoLengthHasNoRatesEvenWithRequestsCounted() {
    // Requests counted in a window whose clock did not advance: no rate, rather than infinitely many per second.
    RunResult measured = measured(null);
    RunResult r = new RunResult("instant", TARGET, PLAN, 0, 100, 0, Map.of(), latencies(), List.of(),
        measured.services(), List.of(), null);
    assertThat(r.throughput()).isZero();
    assertThat(r.upstreamCallRate()).isNull();
    assertThat(r.toJson().getDouble("throughput")).isZero();
    assertThat(r.toJson().getValue("upstreamCallsPerSecond")).isNull();
  }
}
