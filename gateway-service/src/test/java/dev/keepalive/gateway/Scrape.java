package dev.keepalive.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of a /metrics endpoint, parsed from the Prometheus text format. */
final class Scrape {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final String text;
  private final Map<String, Double> samples = new LinkedHashMap<>();

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
  }

  static Scrape of(String metricsUrl) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new AssertionError("scrape of " + metricsUrl + " answered " + r.statusCode());
      return new Scrape(r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("scrape of " + metricsUrl + " failed", e);
    }
  }

  /** The sum of every series of a family whose labels contain all the given name="value" pairs. */
  double sum(String name, String... labels) {
    double total = sumOrNaN(name, labels);
    if (Double.isNaN(total)) throw new AssertionError("no series " + name + " " + String.join(",", labels) + " in\n" + text);
    return total;
  }

  private double sumOrNaN(String name, String... labels) {
    double total = 0;
    boolean found = false;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String series = e.getKey();
      String family = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (!family.equals(name)) continue;
      boolean all = true;
      for (String l : labels) all &= series.contains(l);
      if (all) {
        total += e.getValue();
        found = true;
      }
    }
    return found ? total : Double.NaN;
  }

  long count(String name, String... labels) {
    return Math.round(sum(name, labels));
  }

  /** Like {@link #count}, but 0 while no such series exists (a label value appears with its first event). */
  long countOrZero(String name, String... labels) {
    double total = sumOrNaN(name, labels);
    return Double.isNaN(total) ? 0 : Math.round(total);
  }
}
