package dev.keepalive.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition ({@code name{label="v",…} value}): enough to read the
 * services' counters and gauges, by family and label.
 */
final class PrometheusText {

  record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample s = sample(line);
      if (s != null) {
        samples.add(s);
      }
    }
    return new PrometheusText(samples);
  }

  /** The sum over every series of a family (all label values); 0 when the family is absent. */
  double sum(String name) {
    return samples.stream().filter(s -> s.name.equals(name)).mapToDouble(Sample::value).sum();
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name.equals(name));
  }

  /** A family's values summed by one label: e.g. requests by outcome. */
  Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Sample s : samples) {
      if (s.name.equals(name)) {
        out.merge(s.labels.getOrDefault(label, ""), s.value, Double::sum);
      }
    }
    return out;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (i < line.length() && line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
          return null;
        }
        String key = line.substring(i, eq).strip();
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; j < line.length() && line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < line.length()) {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        }
      }
      rest = line.substring(Math.min(line.length(), i + 1)).strip(); // after the closing brace; "" when cut short
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    } else {
      return null;
    }
    String value = rest.split("\\s+", 2)[0];
    try {
      return new Sample(name, labels, Double.parseDouble(value.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
