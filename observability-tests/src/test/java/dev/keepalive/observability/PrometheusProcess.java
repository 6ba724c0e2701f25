package dev.keepalive.observability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real Prometheus (the Debian package's binary) on loopback, with its data in a temporary directory. */
final class PrometheusProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusProcess(Process process, Path dir, String baseUrl) {
    this.process = process;
    this.dir = dir;
    this.baseUrl = baseUrl;
  }

  static PrometheusProcess start(String configYaml, Duration readyWithin) throws Exception {
    if (!Repo.onPath("prometheus")) {
      throw new AssertionError("prometheus is not installed: scripts/test installs it (Debian package prometheus)");
    }
    Path dir = Files.createTempDirectory("prometheus-live-test");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, configYaml);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder("prometheus",
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    PrometheusProcess prometheus = new PrometheusProcess(p, dir, "http://127.0.0.1:" + port);
    try {
      // /-/ready is also what the compose healthcheck asks.
      Await.until("Prometheus ready", readyWithin, () -> {
        if (!p.isAlive()) {
          throw new AssertionError("prometheus exited " + p.exitValue() + ":\n" + prometheus.log());
        }
        return prometheus.get("/-/ready").statusCode() == 200;
      });
    } catch (Throwable t) {
      prometheus.close();
      throw t;
    }
    return prometheus;
  }

  HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return failed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Status 0: nothing answered yet. */
  private static HttpResponse<String> failed() {
    return new HttpResponse<>() {
      public int statusCode() { return 0; }
      public HttpRequest request() { return null; }
      public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
      public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true); }
      public String body() { return ""; }
      public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
      public URI uri() { return null; }
      public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    };
  }

  record QueryResult(int status, JsonObject body) {
    boolean ok() {
      return status == 200 && "success".equals(body.getString("status"));
    }

    JsonArray result() {
      return body.getJsonObject("data", new JsonObject()).getJsonArray("result", new JsonArray());
    }

    /** Value of each series by one of its labels, NaN and Inf included as Prometheus sends them. */
    java.util.Map<String, Double> byLabel(String label) {
      java.util.Map<String, Double> out = new java.util.TreeMap<>();
      for (Object o : result()) {
        JsonObject series = (JsonObject) o;
        out.put(series.getJsonObject("metric").getString(label, ""),
            Double.parseDouble(series.getJsonArray("value").getString(1)));
      }
      return out;
    }

    boolean hasNumber() {
      return byLabelAll().stream().anyMatch(v -> !v.isNaN() && !v.isInfinite());
    }

    private java.util.List<Double> byLabelAll() {
      java.util.List<Double> out = new java.util.ArrayList<>();
      for (Object o : result()) {
        out.add(Double.parseDouble(((JsonObject) o).getJsonArray("value").getString(1)));
      }
      return out;
    }
  }

  /** An instant query through the HTTP API; unparseable PromQL answers 400 with the parser's message. */
  QueryResult query(String promql) {
    String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/query"))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new QueryResult(r.statusCode(), new JsonObject(r.body()));
    } catch (IOException e) {
      throw new AssertionError("query failed: " + promql, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  JsonObject getJson(String path) {
    HttpResponse<String> r = get(path);
    return r.statusCode() == 200 ? new JsonObject(r.body()) : new JsonObject();
  }

  String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
