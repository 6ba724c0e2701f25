package dev.keepalive.upstream;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/** {@code GET /item/:id}: a small JSON item after the configured service time, or a 500 at the error rate. */
final class ItemHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final UpstreamConfig config;
  private final UpstreamMetrics metrics;
  private final ConnectionBudget budget;
  private final String padding;
  private final String keepAliveHeader;

  private final ServiceTime serviceTime;

  ItemHandler(Vertx vertx, UpstreamConfig config, UpstreamMetrics metrics, ConnectionBudget budget, ServiceTime serviceTime) {
    this.vertx = vertx;
    this.serviceTime = serviceTime;
    this.config = config;
    this.metrics = metrics;
    this.budget = budget;
    // {"id":"…","data":"…"}: the padding makes the body about --response-size bytes.
    this.padding = "x".repeat(Math.max(0, config.responseSize() - 24));
    long seconds = config.idleTimeout().toSeconds();
    this.keepAliveHeader = seconds > 0 ? "timeout=" + seconds : null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ConnectionBudget.Turn turn = budget.next(request.connection());
    if (request.version() == HttpVersion.HTTP_2) {
      // HTTP/2: at the Nth stream send GOAWAY at once; the streams already open are still served, later
      // ones are refused by the protocol itself, and the client knows to open a new connection.
      if (turn == ConnectionBudget.Turn.LAST) {
        request.connection().shutdown();
      }
      turn = ConnectionBudget.Turn.MORE;
    } else if (turn == ConnectionBudget.Turn.BEYOND) {
      // HTTP/1.1, pipelined behind the connection's last request: not served; the connection closes once
      // the last response is written.
      return;
    }
    boolean last = turn == ConnectionBudget.Turn.LAST;
    metrics.requestStarted();
    long delay = serviceTime.current().nextNanos();
    long delayMs = Math.round(delay / 1_000_000.0);
    if (delayMs <= 0) {
      respond(ctx, start, last);
    } else {
      vertx.setTimer(delayMs, t -> respond(ctx, start, last));
    }
  }

  private void respond(RoutingContext ctx, long start, boolean last) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      metrics.requestAbandoned();
      return;
    }
    HttpConnection connection = request.connection();
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    if (http1) {
      if (last) {
        response.putHeader("connection", "close");
      } else if (config.advertiseKeepAlive() && keepAliveHeader != null) {
        // As Node does: tells clients how long an idle connection lives, so they never reuse a dead one.
        response.putHeader("keep-alive", keepAliveHeader);
      }
    }
    int status;
    Buffer body;
    if (config.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < config.errorRate()) {
      status = 500;
      body = Buffer.buffer("{\"error\":\"injected failure (--error-rate)\",\"status\":500}");
    } else {
      status = 200;
      body = Buffer.buffer(new JsonObject().put("id", ctx.pathParam("id")).put("data", padding).encode());
    }
    response.setStatusCode(status).putHeader("content-type", "application/json");
    response.end(body).onComplete(done -> {
      metrics.requestServed(status, start);
      if (last && http1) {
        connection.close();
      }
    });
  }
}
