package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The admission settings as the start line prints them and as the flags take them. */
class AdmissionSettingsTest {

  @Test
  void theStartLineSaysTheModeTheCeilingAndForAdaptiveItsAlgorithmStartAndDeadline() {
    assertThat(AdmissionSettings.defaults().toJson(64, Duration.ofSeconds(5))).isEqualTo(new JsonObject()
        .put("admission", "adaptive").put("maxConcurrentFanouts", 64).put("algorithm", "vegas").put("initialLimit", 4)
        .put("deadline", "5s"));
    // The initial limit never above the ceiling.
    assertThat(AdmissionSettings.defaults().toJson(2, Duration.ofMillis(500)).getInteger("initialLimit")).isEqualTo(2);
    assertThat(AdmissionSettings.fixed().toJson(64, Duration.ofSeconds(5)))
        .isEqualTo(new JsonObject().put("admission", "fixed").put("maxConcurrentFanouts", 64));
    assertThat(AdmissionSettings.fixed().adaptive()).isFalse();
    assertThat(AdmissionSettings.defaults().adaptive()).isTrue();
  }

  @Test
  void flagValuesAreCaseInsensitiveAndAWrongOneNamesTheValidOnes() {
    assertThat(new AdmissionSettings.ModeConverter().convert(" Fixed ")).isEqualTo(AdmissionSettings.Mode.FIXED);
    assertThat(new AdmissionSettings.AlgorithmConverter().convert("AIMD")).isEqualTo(AdmissionSettings.Algorithm.AIMD);
    assertThatThrownBy(() -> new AdmissionSettings.ModeConverter().convert("auto"))
        .isInstanceOf(TypeConversionException.class).hasMessage("'auto' is not one of fixed, adaptive");
    assertThatThrownBy(() -> new AdmissionSettings.AlgorithmConverter().convert("bbr"))
        .isInstanceOf(TypeConversionException.class).hasMessage("'bbr' is not one of vegas, gradient2, aimd");
    assertThatThrownBy(() -> new AdmissionSettings(null, AdmissionSettings.Algorithm.VEGAS, 4))
        .hasMessage("--admission and --admission-algorithm must be given");
    assertThatThrownBy(() -> new AdmissionSettings(AdmissionSettings.Mode.FIXED, AdmissionSettings.Algorithm.VEGAS, 0))
        .hasMessageContaining("--admission-initial-limit");
  }
}
