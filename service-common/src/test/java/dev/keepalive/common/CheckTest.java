package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration checks both services use: the limits are inclusive, and a refusal names the flag and value. */
class CheckTest {

  @Test
  void atLeastAcceptsTheMinimumAndRefusesBelowIt() {
    assertThat(Check.atLeast("--n", 3, 3)).isEqualTo(3);
    assertThat(Check.atLeast("--n", 4, 3)).isEqualTo(4);
    assertThatThrownBy(() -> Check.atLeast("--n", 2, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for --n: 2 (must be at least 3)");
  }

  @Test
  void betweenIncludesBothEnds() {
    assertThat(Check.between("--n", 1, 1, 5)).isEqualTo(1);
    assertThat(Check.between("--n", 5, 1, 5)).isEqualTo(5);
    assertThatThrownBy(() -> Check.between("--n", 0, 1, 5)).hasMessage("Invalid value for --n: 0 (must be between 1 and 5)");
    assertThatThrownBy(() -> Check.between("--n", 6, 1, 5)).hasMessage("Invalid value for --n: 6 (must be between 1 and 5)");
  }

  @Test
  void fractionIsZeroToOneAndNotANumberIsRefused() {
    assertThat(Check.fraction("--f", 0.0)).isZero();
    assertThat(Check.fraction("--f", 1.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> Check.fraction("--f", -0.01)).hasMessage("Invalid value for --f: -0.01 (must be between 0 and 1)");
    assertThatThrownBy(() -> Check.fraction("--f", 1.01)).hasMessage("Invalid value for --f: 1.01 (must be between 0 and 1)");
    assertThatThrownBy(() -> Check.fraction("--f", Double.NaN)).hasMessageContaining("NaN");
  }

  @Test
  void positiveRefusesZeroNegativeAndNone() {
    assertThat(Check.positive("--t", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    assertThatThrownBy(() -> Check.positive("--t", Duration.ZERO)).hasMessage("Invalid value for --t: 0 (must be above 0)");
    assertThatThrownBy(() -> Check.positive("--t", Duration.ofMillis(-5)))
        .hasMessage("Invalid value for --t: -5ms (must be above 0)");
    assertThatThrownBy(() -> Check.positive("--t", null)).hasMessage("Invalid value for --t: none (must be above 0)");
  }

  @Test
  void notNegativeAcceptsZero() {
    assertThat(Check.notNegative("--t", Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> Check.notNegative("--t", Duration.ofSeconds(-1)))
        .hasMessage("Invalid value for --t: must not be negative");
    assertThatThrownBy(() -> Check.notNegative("--t", null)).hasMessage("Invalid value for --t: must not be negative");
  }

  @Test
  void aPortIsZeroTo65535() {
    assertThat(Check.port("--port", 0)).isZero();
    assertThat(Check.port("--port", 65535)).isEqualTo(65535);
    assertThatThrownBy(() -> Check.port("--port", 65536)).hasMessage("Invalid value for --port: 65536 (must be between 0 and 65535)");
    assertThatThrownBy(() -> Check.port("--port", -1)).hasMessage("Invalid value for --port: -1 (must be between 0 and 65535)");
  }
}
