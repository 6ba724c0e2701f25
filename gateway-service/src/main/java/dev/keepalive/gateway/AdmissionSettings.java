package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import picocli.CommandLine;

/**
 * How fan-outs are admitted: {@code fixed} (at most --max-concurrent-fanouts at once) or {@code adaptive} (a limit
 * that follows what the upstream path can finish before the deadline, never above --max-concurrent-fanouts).
 *
 * @param algorithm the adaptive limit's algorithm (see {@link AdaptiveAdmission})
 * @param initialLimit where the adaptive limit starts, capped by the ceiling
 */
public record AdmissionSettings(Mode mode, Algorithm algorithm, int initialLimit) {

  public enum Mode { FIXED, ADAPTIVE }

  public enum Algorithm { VEGAS, GRADIENT2, AIMD }

  public AdmissionSettings {
    if (mode == null || algorithm == null) {
      throw new IllegalArgumentException("--admission and --admission-algorithm must be given");
    }
    dev.keepalive.common.Check.between("--admission-initial-limit", initialLimit, 1, 1_000_000);
  }

  public static AdmissionSettings defaults() {
    return new AdmissionSettings(Mode.ADAPTIVE, Algorithm.VEGAS, 4);
  }

  public static AdmissionSettings fixed() {
    return new AdmissionSettings(Mode.FIXED, Algorithm.VEGAS, 4);
  }

  public boolean adaptive() {
    return mode == Mode.ADAPTIVE;
  }

  public JsonObject toJson(int ceiling, java.time.Duration deadline) {
    JsonObject json = new JsonObject().put("admission", lower(mode)).put("maxConcurrentFanouts", ceiling);
    if (adaptive()) {
      json.put("algorithm", lower(algorithm)).put("initialLimit", Math.min(initialLimit, ceiling))
          .put("deadline", DurationConverter.format(deadline));
    }
    return json;
  }

  public static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** Case-insensitive enum values for picocli, with the valid ones named in the error. */
  public static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
      return parse(Mode.class, value, "fixed, adaptive");
    }
  }

  public static final class AlgorithmConverter implements CommandLine.ITypeConverter<Algorithm> {
    @Override
    public Algorithm convert(String value) {
      return parse(Algorithm.class, value, "vegas, gradient2, aimd");
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String valid) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + valid);
    }
  }
}
