package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The overload benchmark's printed row and timeline, from a recording of known answers: goodput is the successful
 * answers per second over capacity, p99s are per outcome. The benchmark itself runs against real services in
 * OverloadGoodputTest.
 */
class OverloadReportTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  /** Second 1: 5 ok, 3 shed (503); second 2: 3 ok, 1 deadline (504). One ok took 12 ms, the rest 1 ms. */
  private static Recording twoSeconds() {
    Recording r = new Recording(0);
    for (int i = 0; i < 4; i++) {
      r.response(MS, null, 0);
    }
    r.response(12 * MS, null, 1);
    for (int i = 0; i < 3; i++) {
      r.response(MS / 2, "http_503", 0);
    }
    r.tick(S);
    for (int i = 0; i < 3; i++) {
      r.response(MS, null, 0);
    }
    r.response(20 * MS, "http_504", 0);
    r.finish(2 * S);
    return r;
  }

  @Test
  void aRowSaysOfferedAnswersGoodputAsAShareOfCapacityP99sAndTheLimitRange() {
    OverloadReport.Level level = new OverloadReport.Level("5x", 25.0, twoSeconds(), List.of(12, 10), 4.0);
    assertThat(level.ok()).isEqualTo(8);
    assertThat(level.okPerSecond()).isEqualTo(4.0);
    assertThat(level.goodputShare()).isEqualTo(1.0);
    assertThat(level.count("http_503")).isEqualTo(3);
    assertThat(level.count("http_504")).isEqualTo(1);
    assertThat(OverloadReport.row(level).split("\\s+"))
        .containsExactly("5x", "25.0", "12", "4.0", "1.00x", "12", "ms", "0.50", "ms", "3", "1", "10-12");
    assertThat(OverloadReport.header().split("\\s+")).startsWith("offered", "req/s", "answers", "ok/s", "goodput");
  }

  @Test
  void withoutCapacityOrAnswersOfAKindTheRowSaysSoRatherThanDividingByZero() {
    OverloadReport.Level level = new OverloadReport.Level("2x", 8.0, twoSeconds(), List.of(), 0);
    assertThat(level.goodputShare()).isZero();
    assertThat(level.p99Ms("http_502")).isNaN();
    String[] cells = OverloadReport.row(level).split("\\s+");
    assertThat(cells[4]).isEqualTo("0.00x");
    assertThat(cells[cells.length - 1]).as("no limit sampled").isEqualTo("-1--1");
    OverloadReport.Level noShed = new OverloadReport.Level("1x", 4.0, new Recording(0), List.of(5), 4.0);
    noShed.recording().finish(S);
    assertThat(OverloadReport.row(noShed).split("\\s+")).containsSequence("0.00x", "-", "-", "0", "0", "5-5");
  }

  @Test
  void theTimelineGivesEachSecondsLimitAndAnswersByOutcomeSixSecondsToALine() {
    OverloadReport.Level level = new OverloadReport.Level("slow", 8.0, twoSeconds(), List.of(12, 10), 4.0);
    assertThat(OverloadReport.timeline(level)).isEqualTo("  second: limit ok/503/504\n  1: 12 5/3/0   2: 10 3/0/1");

    Recording seven = new Recording(0);
    for (int s = 1; s <= 7; s++) {
      seven.response(MS, null, 0);
      seven.tick(s * S);
    }
    seven.finish(7 * S);
    String timeline = OverloadReport.timeline(new OverloadReport.Level("x", 1, seven, List.of(1, 2, 3, 4, 5, 6), 1));
    // The seventh second had no limit sampled.
    assertThat(timeline).isEqualTo("  second: limit ok/503/504\n"
        + "  1: 1 1/0/0   2: 2 1/0/0   3: 3 1/0/0   4: 4 1/0/0   5: 5 1/0/0   6: 6 1/0/0\n"
        + "  7: - 1/0/0");
  }

  @Test
  void theHeaderNamesTheColumnsAndTheMillisecondsKeepTwoDecimalsBelowTen() {
    assertThat(OverloadReport.header()).isEqualTo(
        "offered        req/s  answers    ok/s  goodput    p99 ok   p99 503   503s   504s limit min-max");
    assertThat(OverloadReport.ms(9.994)).isEqualTo("9.99 ms");
    assertThat(OverloadReport.ms(10)).isEqualTo("10 ms");
    assertThat(OverloadReport.ms(Double.NaN)).isEqualTo("-");
  }

  @Test
  void aLevelIsNamedByItsMultipleAndReRatedAgainstTheHigherCapacity() {
    assertThat(OverloadReport.levelName(2)).isEqualTo("2x");
    assertThat(OverloadReport.levelName(2.5)).isEqualTo("2.5x");
    OverloadReport.Level level = new OverloadReport.Level("5x", 25.0, twoSeconds(), List.of(12, 10), 4.0);
    OverloadReport.Level higher = level.against(5.0);
    assertThat(higher.goodputShare()).isEqualTo(0.8);
    assertThat(higher.name()).isEqualTo("5x");
    assertThat(higher.offered()).isEqualTo(25.0);
    assertThat(higher.recording()).isSameAs(level.recording());
    assertThat(higher.limits()).isEqualTo(List.of(12, 10));
  }

  @Test
  void answersAreCountedBySecondOfIntendedSend() {
    Recording r = new Recording(0);
    r.response(MS, null, 0);
    r.sentAt(S / 2, null);
    r.response(MS, "http_503", 0);
    r.sentAt(S + 1, "http_503");
    r.finish(2 * S);
    OverloadReport.Level level = new OverloadReport.Level("x", 2, r, List.of(), 1);
    assertThat(level.perSendSecond()).containsExactly(java.util.Map.of("ok", 1L), java.util.Map.of("http_503", 1L));
  }

  @Test
  void theWarmUpHasSettledWhenTwoRoundsInARowAgreeWithin15Percent() {
    assertThat(OverloadReport.settled(-1, 100)).as("the first round").isFalse();
    assertThat(OverloadReport.settled(0, 0)).isFalse();
    assertThat(OverloadReport.settled(100, 80)).isFalse();
    assertThat(OverloadReport.settled(100, 117.5)).as("17.5 is within 15 % of 117.5").isTrue();
    assertThat(OverloadReport.settled(100, 118)).as("18 is above 15 % of 118").isFalse();
    assertThat(OverloadReport.settled(118, 100)).isFalse();
    assertThat(OverloadReport.settled(117.5, 100)).isTrue();
    assertThat(OverloadReport.settled(100, 100)).isTrue();
    assertThat(OverloadReport.settled(100, 85)).isTrue();
  }

  @Test
  void theCapacityLinesSayHowItWasMeasuredAndWhichIsUsed() {
    assertThat(OverloadReport.warmUpLine(2, 123.45)).isEqualTo("warm-up round 2 (not reported): 123.5 successful fan-outs/s");
    assertThat(OverloadReport.collectorNote(List.of("ZGC Cycles", "ZGC Pauses"))).isEmpty();
    assertThat(OverloadReport.collectorNote(List.of("Shenandoah Pauses", "Shenandoah Cycles"))).isEmpty();
    assertThat(OverloadReport.collectorNote(List.of("G1 Young Generation", "G1 Old Generation"))).contains(
        "note: this JVM's collector (G1 Young Generation, G1 Old Generation) pauses every thread for milliseconds at "
            + "times, and one pause can be a level's p99 of 503s; java -XX:+UseZGC -jar load-test.jar overload "
            + "measures without them");
    assertThat(OverloadReport.warmUpSheddingLine(47))
        .isEqualTo("warm-up of the gateway under test at 2x (not reported): 47 answers 503");
    assertThat(OverloadReport.capacityLine(80, 4, java.time.Duration.ofSeconds(10)))
        .isEqualTo("capacity: 80.0 successful fan-outs/s (4 clients, closed model, 10s)");
    assertThat(OverloadReport.capacityAgainLine(90.04, 90.04))
        .isEqualTo("capacity again after the levels: 90.0/s; goodput below is a share of 90.0/s, the higher");
  }

  /**
   * The slow spell's goodput against the capacity it had: the normal capacity for two thirds, the slow one for the
   * middle third. 4 ok/s against 4.8/s fast and 0.48/s slow: (2 × 4.8 + 0.48) / 3 = 3.36/s, goodput 1.19.
   */
  @Test
  void theSlowSpellIsAlsoRatedAgainstTheCapacityOfTheMoment() {
    assertThat(OverloadReport.spellCapacity(4.8, 0.48)).isCloseTo(3.36, org.assertj.core.api.Assertions.within(1e-9));
    OverloadReport.Level spell = new OverloadReport.Level("slow spell", 9.6, twoSeconds(), List.of(7, 2), 4.8);
    assertThat(OverloadReport.spellGoodputLine(spell, 0.48)).isEqualTo("  slow spell against the capacity of the "
        + "moment (4.8/s for two thirds, 0.48/s for one: 3.36/s): goodput 1.19x");
    assertThat(OverloadReport.slowCapacityLine(0.475, 10, java.time.Duration.ofSeconds(15))).isEqualTo(
        "capacity with the upstream 10x slower (the slow spell's middle third): 0.48 successful fan-outs/s "
            + "(closed model, 15s)");
  }
}
