package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load flags of run, compare and demo: each given flag replaces the command's default, and the model follows. */
class LoadOptionsTest {
  private static final LoadPlan CLOSED = new LoadPlan(0, 8, 16, Duration.ofSeconds(10), Duration.ofSeconds(2), 100,
      Duration.ofSeconds(5));
  private static final LoadPlan OPEN = new LoadPlan(50, 1, 64, Duration.ofSeconds(10), Duration.ZERO, 0,
      Duration.ofSeconds(5));

  @Test
  void withoutFlagsThePlanIsTheCommandsDefault() {
    assertThat(new LoadOptions().plan(CLOSED)).isEqualTo(CLOSED);
    assertThat(new LoadOptions().plan(OPEN)).isEqualTo(OPEN);
  }

  @Test
  void eachFlagReplacesItsDefault() {
    LoadOptions o = new LoadOptions();
    o.concurrency = 3;
    o.connections = 4;
    o.duration = Duration.ofSeconds(7);
    o.warmup = Duration.ofMillis(300);
    o.calls = 9;
    o.timeout = Duration.ofSeconds(11);
    assertThat(o.plan(CLOSED)).isEqualTo(new LoadPlan(0, 3, 4, Duration.ofSeconds(7), Duration.ofMillis(300), 9,
        Duration.ofSeconds(11)));
  }

  @Test
  void aRateChoosesTheOpenModelAndAConcurrencyTheClosedOne() {
    LoadOptions rate = new LoadOptions();
    rate.rate = 25.0;
    assertThat(rate.plan(CLOSED)).isEqualTo(new LoadPlan(25, 8, 16, Duration.ofSeconds(10), Duration.ofSeconds(2), 100,
        Duration.ofSeconds(5)));
    LoadOptions concurrency = new LoadOptions();
    concurrency.concurrency = 2;
    assertThat(concurrency.plan(OPEN).openModel()).as("a default rate gives way to --concurrency").isFalse();
    assertThat(concurrency.plan(OPEN).concurrency()).isEqualTo(2);
  }

  @Test
  void aRateMustBeAboveZeroAndExcludesAConcurrency() {
    LoadOptions both = new LoadOptions();
    both.rate = 10.0;
    both.concurrency = 2;
    assertThatThrownBy(() -> both.plan(CLOSED))
        .hasMessage("--rate (open model) and --concurrency (closed model) exclude each other: give one");
    LoadOptions zero = new LoadOptions();
    zero.rate = 0.0;
    assertThatThrownBy(() -> zero.plan(CLOSED)).hasMessage("Invalid value for --rate: 0.0 (must be above 0)");
    LoadOptions nan = new LoadOptions();
    nan.rate = Double.NaN;
    assertThatThrownBy(() -> nan.plan(CLOSED)).hasMessage("Invalid value for --rate: NaN (must be above 0)");
  }
}
