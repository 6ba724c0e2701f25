package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusConfigTest {
  private final PrometheusConfig config = PrometheusConfig.load();

  @Test
  void promtoolAcceptsTheConfig() {
    Repo.Result r = Repo.run("promtool", "check", "config", PrometheusConfig.FILE);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void scrapesOftenEnoughForALiveDemo() {
    // Grafana refreshes every 5s at best; a rate then spans 4 scrapes, so slower scrapes make the
    // dashboard lag the load by more than 20s.
    assertThat(config.scrapeInterval()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
    Object timeout = config.global().get("scrape_timeout");
    if (timeout != null) {
      assertThat(PrometheusConfig.duration(String.valueOf(timeout))).isLessThanOrEqualTo(config.scrapeInterval());
    }
    // No job may scrape at its own slower pace: the datasource's timeInterval assumes one interval.
    assertThat(config.scrapeConfigs()).allSatisfy(job -> assertThat(job).doesNotContainKey("scrape_interval"));
  }

  @Test
  void oneJobPerServiceInstance() {
    Map<String, List<String>> targets = config.targets();
    assertThat(targets).containsOnlyKeys("upstream", "gateway-keepalive", "gateway-no-keepalive");
    targets.forEach((job, t) -> assertThat(t).as("targets of %s", job).hasSize(1));
    assertThat(targets.values().stream().flatMap(List::stream)).doesNotHaveDuplicates();
    assertThat(config.scrapeConfigs()).allSatisfy(job ->
        assertThat(job.getOrDefault("metrics_path", "/metrics")).isEqualTo("/metrics"));
  }
}
