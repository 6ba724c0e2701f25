package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import dev.keepalive.common.JsonErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /fanout[?calls=N]}: N concurrent upstream calls, and what they cost in connections.
 * Answers 200, or 502 (calls failed), 504 (calls timed out or the fan-out's deadline passed),
 * 503 with Retry-After (overloaded), 400 (bad request); always JSON, never a hang.
 */
final class FanOutHandler implements Handler<RoutingContext> {
  private final GatewayConfig config;
  private final UpstreamClient client;
  private final GatewayMetrics metrics;
  private final FanOutAdmission admission;
  private final UpstreamHealth health;
  // Built once: the configuration does not change. Only ever read (encoded) after this.
  private final JsonObject clientJson;

  FanOutHandler(GatewayConfig config, UpstreamClient client, GatewayShared shared) {
    this.config = config;
    this.client = client;
    this.metrics = shared.metrics();
    this.admission = shared.limiter();
    this.health = shared.health();
    this.clientJson = config.clientJson(shared.transport());
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
    FanOutAdmission.Permit permit = admission.tryAdmit();
    if (permit == null) {
      // Shed at once rather than queue: a fan-out admitted beyond what the path finishes in time would only
      // make every admitted one miss its deadline. The caller can come back.
      metrics.shed();
      metrics.fanout("overloaded", -1);
      ctx.response().putHeader("retry-after", "1");
      JsonErrors.send(ctx, 503, "gateway at its limit of " + admission.limit() + " concurrent fan-outs ("
          + (config.admission().adaptive() ? "adaptive, at most " + config.maxConcurrentFanouts() : "fixed")
          + ", --max-concurrent-fanouts, --admission); retry after 1 s");
      return;
    }
    List<Future<CallResult>> pending = new ArrayList<>(calls);
    boolean[] answered = {false};
    // Calls still queued for a connection when the deadline answers the fan-out are dropped, not sent late.
    BooleanSupplier abandoned = () -> answered[0];
    long deadlineNanos = start + config.fanoutTimeout().toNanos();
    for (int i = 1; i <= calls; i++) {
      pending.add(client.call(i, abandoned, deadlineNanos));
    }
    // From the request's arrival, as each waiting call's bound (UpstreamClient#call) is; rounded up, never early.
    long left = Math.max(1, (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
    long deadline = ctx.vertx().setTimer(left, t -> {
      answered[0] = true;
      respond(ctx, pending, System.nanoTime() - start, true, permit);
    });
    // Each call's future always succeeds (its failure is in its result), so this waits for all of them.
    Future.all(pending).onComplete(done -> {
      if (!answered[0]) {
        answered[0] = true;
        ctx.vertx().cancelTimer(deadline);
        respond(ctx, pending, System.nanoTime() - start, false, permit);
      }
    });
  }

  private void respond(RoutingContext ctx, List<Future<CallResult>> pending, long durationNanos, boolean deadlinePassed,
      FanOutAdmission.Permit permit) {
    FanOutSummary summary = FanOutSummary.of(pending);
    JsonObject body = summary.toJson(durationNanos).put("client", clientJson);
    int status;
    String outcome;
    if (summary.kinds().containsKey("pool_busy")) {
      status = 503;
      outcome = "overloaded";
      body.put("error", summary.kinds().get("pool_busy") + " calls found the connection pool's wait queue full "
          + "(--max-wait-queue " + config.maxWaitQueue() + "); retry after 1 s");
      ctx.response().putHeader("retry-after", "1");
    } else if (deadlinePassed || summary.kinds().containsKey("timeout")) {
      status = 504;
      outcome = "timeout";
      int timedOut = summary.unfinished() + summary.kinds().getOrDefault("timeout", 0);
      body.put("timedOut", timedOut);
      body.put("error", timedOut + " of " + summary.calls() + " calls timed out"
          + (deadlinePassed ? " (fan-out deadline " + DurationConverter.format(config.fanoutTimeout()) + " passed, "
              + summary.unfinished() + " still unanswered)" : "")
          + " (--request-timeout " + DurationConverter.format(config.requestTimeout()) + ")");
    } else if (summary.failed() > 0) {
      status = 502;
      outcome = "upstream_error";
      boolean unreachable = summary.kinds().keySet().stream().allMatch(health::unreachable);
      body.put("error", unreachable
          ? "upstream unreachable at " + config.replicas().endpoints() + ": " + String.join(", ", summary.kinds().keySet())
              // Over QUIC an upstream without HTTP/3 is silent, like an unreachable one: say which to check first.
              + (config.http3() ? " (over HTTP/3, UDP: is the upstream started with --tls --http3?)" : "")
          : summary.failed() + " of " + summary.calls() + " upstream calls failed");
    } else {
      status = 200;
      outcome = "success";
    }
    if (status != 200) {
      body.put("status", status); // every error body says its status, as JsonErrors' do
    }
    // What the admission learns: a success's latency, a missed deadline (or a full wait queue) as a drop.
    switch (outcome) {
      case "success" -> permit.succeeded();
      case "timeout", "overloaded" -> permit.missedDeadline();
      default -> permit.ignored();
    }
    metrics.fanout(outcome, durationNanos);
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
  }

  private int callsOf(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("calls")) {
        throw new IllegalArgumentException("unknown query parameter '" + abbreviate(name) + "' (the only one is calls)");
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
        + abbreviate(raw) + "'";
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

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** What a set of calls came to, finished or not. */
  record FanOutSummary(int calls, int succeeded, int failed, int unfinished, int newConnections, int connectionsUsed,
      Map<String, Integer> kinds, Map<String, String> examples, TlsSummary tls, Map<String, int[]> endpoints) {

    static FanOutSummary of(List<Future<CallResult>> pending) {
      int succeeded = 0, failed = 0, unfinished = 0, fresh = 0;
      java.util.Set<Integer> connections = new java.util.HashSet<>();
      Map<String, Integer> kinds = new LinkedHashMap<>();
      Map<String, String> examples = new LinkedHashMap<>();
      TlsSummary tls = new TlsSummary();
      // Per replica: calls its connections carried, and new connections (handshakes) among them.
      Map<String, int[]> endpoints = new java.util.TreeMap<>();
      for (Future<CallResult> f : pending) {
        if (!f.isComplete()) {
          unfinished++;
          continue;
        }
        CallResult r = f.result();
        if (r.newConnection()) fresh++;
        tls.add(r.tls(), r.newConnection());
        if (r.connectionId() != 0) connections.add(r.connectionId());
        if (r.endpoint() != null) {
          int[] counts = endpoints.computeIfAbsent(r.endpoint(), e -> new int[2]);
          counts[0]++;
          if (r.newConnection()) counts[1]++;
        }
        if (r.succeeded()) {
          succeeded++;
        } else {
          failed++;
          kinds.merge(r.errorKind(), 1, Integer::sum);
          examples.putIfAbsent(r.errorKind(), r.errorMessage());
        }
      }
      return new FanOutSummary(pending.size(), succeeded, failed, unfinished, fresh, connections.size(), kinds, examples,
          tls, endpoints);
    }

    JsonObject toJson(long durationNanos) {
      JsonObject body = new JsonObject()
          .put("calls", calls)
          .put("succeeded", succeeded)
          .put("failed", failed + unfinished)
          .put("newConnections", newConnections)
          .put("connectionsUsed", connectionsUsed)
          .put("durationMs", Math.round(durationNanos / 10_000.0) / 100.0);
      if (tls.seen()) {
        body.put("tls", tls.toJson());
      }
      JsonObject perEndpoint = new JsonObject();
      endpoints.forEach((endpoint, counts) ->
          perEndpoint.put(endpoint, new JsonObject().put("calls", counts[0]).put("newConnections", counts[1])));
      body.put("endpoints", perEndpoint);
      if (!kinds.isEmpty() || unfinished > 0) {
        JsonObject errors = new JsonObject();
        kinds.forEach((kind, count) -> errors.put(kind, new JsonObject().put("count", count).put("example", examples.get(kind))));
        if (unfinished > 0) {
          errors.put("deadline_exceeded", new JsonObject().put("count", unfinished)
              .put("example", "no answer before the fan-out's deadline"));
        }
        body.put("errors", errors);
      }
      return body;
    }
  }
}
