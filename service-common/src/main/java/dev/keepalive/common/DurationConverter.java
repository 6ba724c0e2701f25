package dev.keepalive.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads durations written as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or {@code 0}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(us|ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String text = value == null ? "" : value.trim();
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (write a whole number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "us" -> Duration.ofNanos(amount * 1_000);
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** The inverse of {@link #parse}: the shortest exact spelling, as the flags accept it. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) return "0";
    if (nanos % 3_600_000_000_000L == 0) return nanos / 3_600_000_000_000L + "h";
    if (nanos % 60_000_000_000L == 0) return nanos / 60_000_000_000L + "m";
    if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
    if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + "ms";
    return nanos / 1_000L + "us";
  }
}
