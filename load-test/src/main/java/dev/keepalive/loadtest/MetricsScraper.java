package dev.keepalive.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** Reads a service's {@code /metrics} on a client of its own, so scrapes never queue behind the load. */
final class MetricsScraper {
  // Kept in a field: Vert.x 5 closes a client nobody references.
  private final HttpClientAgent client;

  MetricsScraper(Vertx vertx) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /** The parsed exposition, or a failure saying which URL could not be read and why. */
  Future<PrometheusText> scrape(Target metricsUrl) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(metricsUrl.host())
        .setPort(metricsUrl.port()).setURI(metricsUrl.path().isEmpty() ? "/" : metricsUrl.path())
        .setConnectTimeout(5_000).setIdleTimeout(5_000);
    return client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.statusCode() == 200 ? resp.body()
            : Future.failedFuture("HTTP " + resp.statusCode()))
        .map(body -> PrometheusText.parse(body.toString()))
        .recover(err -> Future.failedFuture("cannot read metrics at " + metricsUrl + ": " + err.getMessage()));
  }

  Future<Void> close() {
    return client.close();
  }
}
