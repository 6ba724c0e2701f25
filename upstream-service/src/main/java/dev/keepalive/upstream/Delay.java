package dev.keepalive.upstream;

import dev.keepalive.common.DurationConverter;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;

/**
 * The upstream's service time per request: fixed ({@code 2ms}), uniform ({@code uniform:1ms-5ms})
 * or exponential with a mean ({@code exp:2ms}), which gives the long tail real services have.
 */
public sealed interface Delay {

  /** The next service time in nanoseconds. */
  long nextNanos();

  String spec();

  record Fixed(Duration value) implements Delay {
    public long nextNanos() { return value.toNanos(); }
    public String spec() { return DurationConverter.format(value); }
  }

  record Uniform(Duration min, Duration max) implements Delay {
    public long nextNanos() {
      long lo = min.toNanos(), hi = max.toNanos();
      return lo == hi ? lo : ThreadLocalRandom.current().nextLong(lo, hi + 1);
    }
    public String spec() { return "uniform:" + DurationConverter.format(min) + "-" + DurationConverter.format(max); }
  }

  record Exponential(Duration mean) implements Delay {
    public long nextNanos() {
      double u = ThreadLocalRandom.current().nextDouble();
      // Capped at 20 means, so one unlucky draw cannot stall a connection for ever.
      return (long) Math.min(-Math.log(1.0 - u) * mean.toNanos(), 20.0 * mean.toNanos());
    }
    public String spec() { return "exp:" + DurationConverter.format(mean); }
  }

  public static Delay parse(String text) {
    String t = text == null ? "" : text.trim();
    try {
      if (t.startsWith("uniform:")) {
        String[] bounds = t.substring("uniform:".length()).split("-", 2);
        if (bounds.length != 2) {
          throw new CommandLine.TypeConversionException("no maximum");
        }
        Duration min = DurationConverter.parse(bounds[0]);
        Duration max = DurationConverter.parse(bounds[1]);
        if (max.compareTo(min) < 0) {
          throw new CommandLine.TypeConversionException("'" + text + "' is not a delay: the maximum is below the minimum");
        }
        return new Uniform(min, max);
      }
      if (t.startsWith("exp:")) {
        return new Exponential(DurationConverter.parse(t.substring("exp:".length())));
      }
      return new Fixed(DurationConverter.parse(t));
    } catch (CommandLine.TypeConversionException e) {
      if (e.getMessage().contains("maximum is below")) {
        throw e;
      }
      throw new CommandLine.TypeConversionException("'" + text
          + "' is not a delay: write a duration (2ms), uniform:MIN-MAX (uniform:1ms-5ms) or exp:MEAN (exp:2ms)");
    }
  }

  final class Converter implements CommandLine.ITypeConverter<Delay> {
    @Override
    public Delay convert(String value) {
      return parse(value);
    }
  }
}
