package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DelayTest {

  @Test
  void readsTheThreeShapes() {
    assertThat(Delay.parse("2ms")).isEqualTo(new Delay.Fixed(Duration.ofMillis(2)));
    assertThat(Delay.parse("0")).isEqualTo(new Delay.Fixed(Duration.ZERO));
    assertThat(Delay.parse("uniform:1ms-5ms")).isEqualTo(new Delay.Uniform(Duration.ofMillis(1), Duration.ofMillis(5)));
    assertThat(Delay.parse("exp:3ms")).isEqualTo(new Delay.Exponential(Duration.ofMillis(3)));
    assertThat(Delay.parse("uniform:1ms-5ms").spec()).isEqualTo("uniform:1ms-5ms");
  }

  @Test
  void drawsWithinTheDistribution() {
    Delay uniform = Delay.parse("uniform:1ms-5ms");
    Delay exp = Delay.parse("exp:2ms");
    double sum = 0;
    for (int i = 0; i < 20_000; i++) {
      assertThat(uniform.nextNanos()).isBetween(1_000_000L, 5_000_000L);
      long e = exp.nextNanos();
      assertThat(e).isBetween(0L, 40_000_000L);
      sum += e;
    }
    assertThat(sum / 20_000 / 1e6).as("mean of exp:2ms in ms").isBetween(1.8, 2.2);
  }

  @Test
  void aFixedDelayIsAlwaysItsValueAndEachShapeSpellsItselfAsItIsWritten() {
    assertThat(Delay.parse("2ms").nextNanos()).isEqualTo(2_000_000L);
    assertThat(Delay.parse("2ms").spec()).isEqualTo("2ms");
    assertThat(Delay.parse("exp:2ms").spec()).isEqualTo("exp:2ms");
    assertThat(Delay.parse(" uniform:3ms-3ms ").nextNanos()).as("equal bounds").isEqualTo(3_000_000L);
    assertThat(Delay.parse("uniform:1ms-1ms").spec()).isEqualTo("uniform:1ms-1ms");
  }

  @Test
  void aUniformDelayReachesBothBounds() {
    Delay uniform = new Delay.Uniform(Duration.ofNanos(1), Duration.ofNanos(3));
    java.util.Set<Long> seen = new java.util.TreeSet<>();
    for (int i = 0; i < 1_000; i++) {
      seen.add(uniform.nextNanos());
    }
    assertThat(seen).containsExactly(1L, 2L, 3L);
  }

  @Test
  void refusalsSayWhatADelayLooksLike() {
    assertThatThrownBy(() -> Delay.parse("fast")).hasMessage(
        "'fast' is not a delay: write a duration (2ms), uniform:MIN-MAX (uniform:1ms-5ms) or exp:MEAN (exp:2ms)");
    assertThatThrownBy(() -> Delay.parse("uniform:5ms-1ms"))
        .hasMessage("'uniform:5ms-1ms' is not a delay: the maximum is below the minimum");
    assertThatThrownBy(() -> Delay.parse(null)).hasMessageContaining("is not a delay");
    assertThat(new Delay.Converter().convert("exp:1s")).isEqualTo(new Delay.Exponential(Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5x", "-1ms", "uniform:5ms-1ms", "uniform:1ms", "exp:", "fast", "1.5ms"})
  void refusesWhatItCannotRead(String text) {
    assertThatThrownBy(() -> Delay.parse(text))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining(text);
  }
}
