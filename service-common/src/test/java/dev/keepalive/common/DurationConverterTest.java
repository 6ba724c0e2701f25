package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Durations as every flag writes them: a whole number and a unit, and back again. */
class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({"0, 0", "250us, 250000", "250ms, 250000000", "5s, 5000000000", "2m, 120000000000", "1h, 3600000000000",
      "' 7s ', 7000000000", "999999999ms, 999999999000000"})
  void parsesEachUnit(String text, long nanos) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "5x", "s", "-1s", "1.5s", "5 s", "1000000000s", "", "5S"})
  void refusesAnythingElseSayingHowToWriteIt(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text)).isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'" + text + "' is not a duration (write a whole number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)");
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1000, 1us", "1500000, 1500us", "250000000, 250ms", "5000000000, 5s", "90000000000, 90s",
      "120000000000, 2m", "3600000000000, 1h", "5400000000000, 90m", "1001, 1us"})
  void formatsAsTheShortestExactSpelling(long nanos, String text) {
    assertThat(DurationConverter.format(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1us", "250ms", "5s", "2m", "1h", "1500ms"})
  void formatIsTheInverseOfParse(String text) {
    assertThat(DurationConverter.format(DurationConverter.parse(text))).isEqualTo(text);
  }
}
