package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 upstream that refuses every stream it is sent (RST_STREAM with REFUSED_STREAM, code 7): a refused stream
 * was not processed, so the gateway sends the call again, and again, but not forever: 20 attempts per call in all,
 * then the call fails as refused_stream. ConnectionCountsTest has the usual case, where the next attempt is served.
 */
class RefusedStreamRetryTest {

  @Test
  void aCallWhoseStreamIsAlwaysRefusedIsSentTwentyTimesThenFailsAsRefusedStream() {
    Vertx vertx = Vertx.vertx();
    AtomicInteger requests = new AtomicInteger();
    try {
      HttpServer upstream = vertx.createHttpServer() // h2c with prior knowledge, as the gateway's --http2 speaks it
          .requestHandler(req -> {
            requests.incrementAndGet();
            req.response().reset(7);
          })
          .listen(0, "127.0.0.1").await();
      GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults("http://127.0.0.1:" + upstream.actualPort())
          .withMetricsPort(0).withClient(true, 1, true, false, 10)).await();
      try {
        Http.Answer answer = Http.get(gateway.baseUrl() + "/fanout?calls=2");
        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        JsonObject body = answer.json();
        assertThat(body.getJsonObject("client").getString("protocol")).isEqualTo("HTTP/2");
        assertThat(body.getInteger("failed")).isEqualTo(2);
        assertThat(body.getJsonObject("errors").getJsonObject("refused_stream").getInteger("count")).as(answer.body())
            .isEqualTo(2);
        assertThat(requests).as("each call's 20 attempts").hasValue(40);
        Scrape metrics = Scrape.of(gateway.metricsUrl());
        assertThat(metrics.count("gateway_upstream_retries_total", "reason=\"refused_stream\"")).isEqualTo(38);
        assertThat(metrics.count("gateway_upstream_requests_total", "outcome=\"refused_stream\"")).isEqualTo(2);
      } finally {
        gateway.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
