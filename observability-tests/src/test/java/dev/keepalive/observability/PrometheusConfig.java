package dev.keepalive.observability;

import static dev.keepalive.observability.Repo.list;
import static dev.keepalive.observability.Repo.map;
import static dev.keepalive.observability.Repo.strings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** prometheus/prometheus.yml: its jobs and targets, and a copy with other targets for the live test. */
final class PrometheusConfig {
  static final String FILE = "prometheus/prometheus.yml";

  final Map<String, Object> root;

  PrometheusConfig(Map<String, Object> root) {
    this.root = root;
  }

  static PrometheusConfig load() {
    return new PrometheusConfig(Repo.yamlFile(FILE));
  }

  Map<String, Object> global() {
    return map(root.get("global"));
  }

  String scrapeIntervalText() {
    return String.valueOf(global().get("scrape_interval"));
  }

  Duration scrapeInterval() {
    return duration(scrapeIntervalText());
  }

  List<Map<String, Object>> scrapeConfigs() {
    List<Map<String, Object>> out = new ArrayList<>();
    list(root.get("scrape_configs")).forEach(o -> out.add(map(o)));
    return out;
  }

  /** Job name to its targets (host:port): static ones, and DNS names (every A record is a target) with their port. */
  Map<String, List<String>> targets() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map<String, Object> job : scrapeConfigs()) {
      List<String> targets = new ArrayList<>();
      for (Object sc : list(job.get("static_configs"))) {
        targets.addAll(strings(map(sc).get("targets")));
      }
      for (Object sd : list(job.get("dns_sd_configs"))) {
        Object port = map(sd).get("port");
        strings(map(sd).get("names")).forEach(name -> targets.add(name + ":" + port));
      }
      out.put(String.valueOf(job.get("job_name")), targets);
    }
    return out;
  }

  /** Prometheus durations as this config uses them: a number and one of ms, s, m, h. */
  static Duration duration(String text) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("duration " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
