package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An upstream that redirects is answering: the gateway reports the 3xx and sends nothing more, so every
 * request the upstream sees is one of the fan-out's calls (a followed redirect would be a second request,
 * possibly on another connection, and a redirect loop sixteen more).
 */
class RedirectTest {

  @Test
  void aRedirectIsAFailedCallNotASecondRequest() {
    Vertx vertx = Vertx.vertx();
    AtomicInteger requests = new AtomicInteger();
    try {
      HttpServer upstream = vertx.createHttpServer()
          .requestHandler(req -> {
            requests.incrementAndGet();
            req.response().setStatusCode(302).putHeader("location", "/item/1").end();
          })
          .listen(0, "127.0.0.1").await();
      GatewayServer gateway = GatewayServer.start(
          GatewayConfig.defaults("http://127.0.0.1:" + upstream.actualPort()).withMetricsPort(0)).await();
      try {
        Http.Answer answer = Http.get(gateway.baseUrl() + "/fanout?calls=5");
        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        JsonObject body = answer.json();
        assertThat(body.getInteger("failed")).isEqualTo(5);
        JsonObject redirects = body.getJsonObject("errors").getJsonObject("http_3xx");
        assertThat(redirects.getInteger("count")).isEqualTo(5);
        assertThat(redirects.getString("example")).isEqualTo("upstream answered 302");
        assertThat(requests.get()).isEqualTo(5);
        assertThat(Scrape.of(gateway.metricsUrl()).count("gateway_upstream_requests_total", "outcome=\"http_3xx\""))
            .isEqualTo(5);
      } finally {
        gateway.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
