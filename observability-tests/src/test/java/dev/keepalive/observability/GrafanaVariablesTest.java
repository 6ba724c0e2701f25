package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expansion the live test relies on follows Grafana's rules. */
class GrafanaVariablesTest {
  private static final Duration RANGE = Duration.ofMinutes(15);

  @Test
  void rateIntervalIsFourScrapesOrOneIntervalPlusAScrape() {
    // The compose setup: 5s scrapes, a 15-minute dashboard about 1000 points wide.
    assertThat(new GrafanaVariables(Map.of(), Duration.ofSeconds(5), RANGE, 1000).rateInterval())
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(new GrafanaVariables(Map.of(), Duration.ofSeconds(1), RANGE, 1000).rateInterval())
        .isEqualTo(Duration.ofSeconds(4));
    // A 24-hour range: $__interval (1m) dominates.
    assertThat(new GrafanaVariables(Map.of(), Duration.ofSeconds(5), Duration.ofHours(24), 1000).rateInterval())
        .isEqualTo(Duration.ofSeconds(65));
  }

  @Test
  void multiValueVariablesBecomeEscapedAlternations() {
    GrafanaVariables v = new GrafanaVariables(
        Map.of("job", List.of("gateway-keepalive", "upstream"), "instance", List.of("127.0.0.1:8080")),
        Duration.ofSeconds(5), RANGE, 1000);
    assertThat(v.expand("rate(a_total{job=~\"$job\", instance=~\"${instance}\"}[$__rate_interval])"))
        .isEqualTo("rate(a_total{job=~\"(gateway-keepalive|upstream)\", instance=~\"127\\\\.0\\\\.0\\\\.1:8080\"}[20s])");
  }
}
