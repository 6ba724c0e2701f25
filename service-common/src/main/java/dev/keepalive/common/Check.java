package dev.keepalive.common;

import java.time.Duration;

/** Validation used by the configuration records; each message names the flag and the bad value. */
public final class Check {
  private Check() {}

  public static int atLeast(String flag, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException("Invalid value for " + flag + ": " + value + " (must be at least " + min + ")");
    }
    return value;
  }

  public static int between(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "Invalid value for " + flag + ": " + value + " (must be between " + min + " and " + max + ")");
    }
    return value;
  }

  public static double fraction(String flag, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException("Invalid value for " + flag + ": " + value + " (must be between 0 and 1)");
    }
    return value;
  }

  public static Duration positive(String flag, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid value for " + flag + ": " + (value == null ? "none" : DurationConverter.format(value)) + " (must be above 0)");
    }
    return value;
  }

  public static Duration notNegative(String flag, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException("Invalid value for " + flag + ": must not be negative");
    }
    return value;
  }

  public static int port(String flag, int value) {
    return between(flag, value, 0, 65535);
  }
}
