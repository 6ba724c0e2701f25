package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading a /metrics page on loopback: the parsed samples, or a failure naming the URL and what went wrong. */
class MetricsScraperTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPageIsParsedAndAnythingButA200IsAFailureNamingTheUrl() throws Exception {
    List<String> uris = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      uris.add(req.uri());
      if (req.path().equals("/missing")) {
        req.response().setStatusCode(404).end("no");
      } else {
        req.response().end("# TYPE up gauge\nup 1\nrequests_total{outcome=\"ok\"} 42\n");
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int port = server.actualPort();
    MetricsScraper scraper = new MetricsScraper(vertx);

    PrometheusText page = scraper.scrape(new Target("127.0.0.1", port, "/metrics")).await(10, TimeUnit.SECONDS);
    assertThat(page.sum("requests_total")).isEqualTo(42.0);
    assertThat(page.sum("up")).isEqualTo(1.0);
    // A base URL without a path is read at "/".
    assertThat(scraper.scrape(new Target("127.0.0.1", port, "")).await(10, TimeUnit.SECONDS).has("up")).isTrue();
    assertThat(uris).containsExactly("/metrics", "/");

    assertThatThrownBy(() -> scraper.scrape(new Target("127.0.0.1", port, "/missing")).await(10, TimeUnit.SECONDS))
        .hasMessage("cannot read metrics at http://127.0.0.1:" + port + "/missing: HTTP 404");
    scraper.close().await(10, TimeUnit.SECONDS);
  }
}
