package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the driver records per request, per interval and in total: exact counts, latencies in the unit they claim. */
class RecordingTest {
  static final long MS = 1_000_000L;

  @Test
  void countsResponsesFailuresAndTheirKinds() {
    Recording r = new Recording(0);
    r.response(2 * MS, null, 3);
    r.response(4 * MS, "http_5xx", 1);
    r.failure("connect_refused");
    r.failure("connect_refused");

    assertThat(r.requests()).isEqualTo(4);
    assertThat(r.failed()).isEqualTo(3);
    assertThat(r.errors()).isEqualTo(Map.of("http_5xx", 1L, "connect_refused", 2L));
    assertThat(r.newConnections()).isEqualTo(4);
    // Only answers have a latency: two of them, in microseconds.
    assertThat(r.latency().getTotalCount()).isEqualTo(2);
    assertThat(r.latency().getMaxValue()).isBetween(3_998L, 4_002L);
    assertThat(r.p99SoFarMs()).isBetween(3.99, 4.01);
  }

  /** A 504 arrives a deadline after its request was sent: it belongs to the second it was sent in, not a later one. */
  @Test
  void answersAreAlsoGroupedByTheSecondTheirRequestWasSentIn() {
    Recording r = new Recording(1_000 * MS);
    r.sentAt(1_500 * MS, null); // sent 0.5 s into the phase
    r.sentAt(7_200 * MS, "http_504"); // sent at 6.2 s, answered 5 s later, after the window
    r.sentAt(7_900 * MS, "http_503");
    r.sentAt(7_999 * MS, "http_503");

    assertThat(r.outcomesBySendSecond()).hasSize(7);
    assertThat(r.outcomesBySendSecond().get(0)).isEqualTo(Map.of("ok", 1L));
    assertThat(r.outcomesBySendSecond().get(3)).isEmpty();
    assertThat(r.outcomesBySendSecond().get(6)).isEqualTo(Map.of("http_504", 1L, "http_503", 2L));
  }

  @Test
  void latenciesAreClampedBetweenOneMicrosecondAndAnHour() {
    Recording r = new Recording(0);
    r.response(10, null, 0); // 10 ns: below the histogram's unit
    r.response(2 * Recording.MAX_MICROS * 1_000, null, 0);
    assertThat(r.latency().getMinValue()).isEqualTo(1);
    assertThat(r.latency().getMaxValue())
        .isBetween(Recording.MAX_MICROS - Recording.MAX_MICROS / 500, Recording.MAX_MICROS + Recording.MAX_MICROS / 500);
  }

  @Test
  void eachTickClosesAnIntervalWithItsOwnCountsAndTheRunningTotals() {
    Recording r = new Recording(1_000 * MS);
    r.response(10 * MS, null, 2);
    r.response(30 * MS, "timeout", 0);
    Recording.Interval first = r.tick(2_000 * MS);
    r.response(50 * MS, null, 1);
    Recording.Interval second = r.tick(3_500 * MS);

    assertThat(first.t()).isEqualTo(1.0);
    assertThat(first.requests()).isEqualTo(2);
    assertThat(first.errors()).isEqualTo(1);
    assertThat(first.newConnections()).isEqualTo(2);
    assertThat(first.p50Ms()).isBetween(9.99, 10.01);
    assertThat(first.p99Ms()).isBetween(29.9, 30.1);
    assertThat(first.maxMs()).isBetween(29.9, 30.1);
    assertThat(first.totalRequests()).isEqualTo(2);
    assertThat(first.totalNewConnections()).isEqualTo(2);

    assertThat(second.t()).isEqualTo(2.5);
    assertThat(second.requests()).isEqualTo(1);
    assertThat(second.errors()).isZero();
    assertThat(second.newConnections()).isEqualTo(1);
    assertThat(second.p50Ms()).isBetween(49.9, 50.1);
    assertThat(second.totalRequests()).isEqualTo(3);
    assertThat(second.totalNewConnections()).isEqualTo(3);
    assertThat(r.timeline()).containsExactly(first, second);
  }

  @Test
  void anEmptyIntervalHasNoLatency() {
    Recording r = new Recording(0);
    Recording.Interval i = r.tick(MS * 1000);
    assertThat(i.requests()).isZero();
    assertThat(i.p50Ms()).isZero();
    assertThat(i.p99Ms()).isZero();
    assertThat(i.maxMs()).isZero();
    assertThat(r.p99SoFarMs()).isZero();
  }

  @Test
  void finishClosesTheLastIntervalOnlyIfItHoldsRequestsAndFixesTheElapsedTime() {
    Recording r = new Recording(0);
    r.response(MS, null, 0);
    r.tick(1_000 * MS);
    r.finish(1_500 * MS);
    assertThat(r.timeline()).hasSize(1);
    assertThat(r.elapsedSeconds()).isEqualTo(1.5);

    Recording busy = new Recording(0);
    busy.response(MS, null, 0);
    busy.tick(1_000 * MS);
    busy.response(MS, null, 0);
    busy.finish(1_200 * MS);
    assertThat(busy.timeline()).hasSize(2);
    assertThat(busy.timeline().get(1).t()).isEqualTo(1.2);

    Recording idle = new Recording(0);
    idle.finish(300 * MS);
    assertThat(idle.timeline()).as("a run without requests still has one interval").hasSize(1);
  }
}
