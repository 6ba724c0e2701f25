package dev.keepalive.gateway;

import dev.keepalive.common.JsonErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** {@code GET /fanout[?calls=N]}: N concurrent upstream calls, and what they cost in connections. */
final class FanOutHandler implements Handler<RoutingContext> {
  private final GatewayConfig config;
  private final UpstreamClient client;
  private final GatewayMetrics metrics;

  FanOutHandler(GatewayConfig config, UpstreamClient client, GatewayMetrics metrics) {
    this.config = config;
    this.client = client;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    int calls;
    try {
      calls = callsOf(ctx);
    } catch (IllegalArgumentException e) {
      metrics.fanout("bad_request", -1);
      JsonErrors.send(ctx, 400, e.getMessage());
      return;
    }
    List<Future<CallResult>> pending = new ArrayList<>(calls);
    for (int i = 1; i <= calls; i++) {
      pending.add(client.call(i));
    }
    // Each call's future always succeeds (its failure is in its result), so this waits for all of them.
    Future.all(pending).onComplete(done -> {
      long duration = System.nanoTime() - start;
      JsonObject body = summarize(pending, duration);
      boolean ok = body.getInteger("failed") == 0;
      metrics.fanout(ok ? "success" : "upstream_error", duration);
      if (!ctx.response().closed()) {
        ctx.response()
            .setStatusCode(ok ? 200 : 502)
            .putHeader("content-type", "application/json")
            .end(body.encode());
      }
    });
  }

  private int callsOf(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("calls")) {
        throw new IllegalArgumentException("unknown query parameter '" + name + "' (the only one is calls)");
      }
    }
    List<String> values = ctx.queryParam("calls");
    if (values.isEmpty()) {
      return config.fanOut();
    }
    if (values.size() > 1) {
      throw new IllegalArgumentException("calls given " + values.size() + " times; give it once");
    }
    String raw = values.get(0);
    String problem = "calls must be a whole number between 1 and " + config.maxFanOut() + " (--max-fan-out), got '"
        + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + "'";
    int calls;
    try {
      calls = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(problem);
    }
    if (calls < 1 || calls > config.maxFanOut()) {
      throw new IllegalArgumentException(problem);
    }
    return calls;
  }

  private JsonObject summarize(List<Future<CallResult>> pending, long durationNanos) {
    int succeeded = 0;
    int newConnections = 0;
    Set<Integer> connections = new HashSet<>();
    TreeMap<String, JsonObject> errors = new TreeMap<>();
    for (Future<CallResult> f : pending) {
      CallResult r = f.result();
      if (r.newConnection()) newConnections++;
      if (r.connectionId() != 0) connections.add(r.connectionId());
      if (r.succeeded()) {
        succeeded++;
      } else {
        errors.computeIfAbsent(r.errorKind(), k -> new JsonObject().put("count", 0).put("example", r.errorMessage()))
            .put("count", errors.get(r.errorKind()) == null ? 1 : errors.get(r.errorKind()).getInteger("count") + 1);
      }
    }
    JsonObject body = new JsonObject()
        .put("calls", pending.size())
        .put("succeeded", succeeded)
        .put("failed", pending.size() - succeeded)
        .put("newConnections", newConnections)
        .put("connectionsUsed", connections.size())
        .put("durationMs", Math.round(durationNanos / 10_000.0) / 100.0)
        .put("client", config.clientJson());
    if (!errors.isEmpty()) {
      body.put("errors", new JsonObject(new java.util.LinkedHashMap<>(errors)));
    }
    return body;
  }
}
