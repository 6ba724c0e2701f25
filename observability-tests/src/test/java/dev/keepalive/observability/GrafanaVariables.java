package dev.keepalive.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a panel query's variables the way Grafana's Prometheus datasource does before sending it:
 * multi-value template variables become escaped regex alternations, $__interval is the time range
 * over the panel's data points rounded and floored at the datasource's timeInterval (scrape interval),
 * and $__rate_interval = max($__interval + scrape interval, 4 x scrape interval).
 */
final class GrafanaVariables {
  private final Map<String, List<String>> selections;
  private final Duration interval;
  private final Duration rateInterval;

  /**
   * @param selections values picked for each template variable (all of them = what "All" would list)
   * @param scrapeInterval the datasource's jsonData.timeInterval
   * @param timeRange the dashboard's time range (default now-15m)
   * @param maxDataPoints about the panel's width in pixels
   */
  GrafanaVariables(Map<String, List<String>> selections, Duration scrapeInterval, Duration timeRange, int maxDataPoints) {
    this.selections = selections;
    this.interval = interval(scrapeInterval, timeRange, maxDataPoints);
    this.rateInterval = rateInterval(interval, scrapeInterval);
  }

  static Duration interval(Duration scrapeInterval, Duration timeRange, int maxDataPoints) {
    Duration raw = round(timeRange.dividedBy(maxDataPoints));
    return raw.compareTo(scrapeInterval) < 0 ? scrapeInterval : raw;
  }

  static Duration rateInterval(Duration interval, Duration scrapeInterval) {
    Duration a = interval.plus(scrapeInterval);
    Duration b = scrapeInterval.multipliedBy(4);
    return a.compareTo(b) > 0 ? a : b;
  }

  /** Grafana's rangeutil roundInterval, for the part of its table dashboards use. */
  static Duration round(Duration d) {
    long ms = d.toMillis();
    long[][] table = {
        {15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1_500, 1_000}, {3_500, 2_000},
        {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000},
        {90_000, 60_000}, {210_000, 120_000}, {450_000, 300_000}, {750_000, 600_000}, {1_050_000, 900_000},
        {1_500_000, 1_200_000}, {2_700_000, 1_800_000}, {5_400_000, 3_600_000}};
    for (long[] row : table) {
      if (ms <= row[0]) {
        return Duration.ofMillis(row[1]);
      }
    }
    return Duration.ofHours(2);
  }

  Duration rateInterval() {
    return rateInterval;
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

  String expand(String expr) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(value(name)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String value(String name) {
    switch (name) {
      case "__rate_interval":
        return seconds(rateInterval);
      case "__interval":
        return seconds(interval);
      case "__interval_ms":
        return String.valueOf(interval.toMillis());
      default:
        List<String> values = selections.get(name);
        if (values == null || values.isEmpty()) {
          throw new IllegalArgumentException("no value for $" + name);
        }
        List<String> escaped = values.stream().map(GrafanaVariables::regexEscape).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Grafana's prometheusSpecialRegexEscape: regex metacharacters escaped for a PromQL string. */
  static String regexEscape(String value) {
    StringBuilder sb = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\') {
        sb.append("\\\\\\\\");
      } else if ("$^*{}[]'+?.()|".indexOf(c) >= 0) {
        sb.append("\\\\").append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
