package dev.keepalive.common;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error a service answers is JSON saying what was wrong; never a stack trace. */
public final class JsonErrors {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {}

  public static void install(Router router) {
    router.errorHandler(404, ctx -> send(ctx, 404, "no such path: " + ctx.request().path()));
    router.errorHandler(405, ctx -> send(ctx, 405, "method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    router.errorHandler(400, ctx -> send(ctx, 400, "bad request"));
    router.errorHandler(500, ctx -> {
      if (ctx.failure() != null) {
        LOG.error("unexpected failure on {}", ctx.request().path(), ctx.failure());
      }
      send(ctx, 500, "internal error");
    });
  }

  /**
   * For requests Netty could not decode (request line or headers too long, malformed): the status
   * Vert.x would send, with a JSON body saying why, then the connection is closed.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "request line too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "request headers too large";
    } else {
      status = 400;
      message = "malformed HTTP request";
    }
    request.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .end(new JsonObject().put("error", message).put("status", status).encode())
        .onComplete(v -> request.connection().close());
  }

  public static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).put("status", status).encode());
  }
}
