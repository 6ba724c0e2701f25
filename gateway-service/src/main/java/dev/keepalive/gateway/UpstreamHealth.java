package dev.keepalive.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * What the gateway knows of the upstream's state: learnt from the calls it makes, and when there were
 * none lately, from a probe of the upstream's /health on a client of its own (outside the pool under study).
 */
public final class UpstreamHealth {
  private static final Set<String> UNREACHABLE = Set.of("connect_refused", "connect_timeout", "unknown_host", "no_route_to_host");
  private static final Set<String> DEFINITELY_UNREACHABLE = ReplicaProbes.DEFINITELY_UNREACHABLE;
  private static final long FRESH_NANOS = 2_000_000_000L;
  /** DOWN only after this long without any answer (a starved machine times some connects out, not all). */
  private static final long DOWN_AFTER_NANOS = 5_000_000_000L;

  private final GatewayConfig config;
  private final UpstreamAddress healthUrl;
  private final HttpClientAgent probe;
  // Several --upstream URLs (and no --upstream-health-url): every replica is probed, not only the first.
  private final ReplicaProbes replicas;
  private volatile String state = "UNKNOWN";
  private volatile String lastError;
  // "traffic" or "probe": where the state reused within FRESH_NANOS came from
  private volatile String source = "traffic";
  private volatile long observedNanos;
  private volatile boolean observed;
  private volatile long lastAnsweredNanos = System.nanoTime() - 2 * DOWN_AFTER_NANOS;

  public UpstreamHealth(Vertx vertx, GatewayConfig config) {
    this.config = config;
    this.healthUrl = config.discovery().healthUrl(config.upstream());
    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(healthUrl.host())
        .setDefaultPort(healthUrl.port())
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setKeepAliveTimeout(Math.max(1, (int) config.keepAliveTimeout().toSeconds()));
    if (healthUrl.tls()) {
      // Over TLS like the pool, with its own handshake record: the probe's handshakes are not the pool's.
      new UpstreamTls(config).apply(options);
    }
    this.probe = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(1))
        .withAddressResolver(ResolveOnConnect.of(healthUrl))
        .build();
    this.replicas = config.replicas().endpoints().several() && config.discovery().healthUrl() == null
        ? new ReplicaProbes(vertx, config.replicas().endpoints(), new HttpClientOptions(options),
            config.connectTimeout().toMillis())
        : null;
  }

  /** Every finished call tells whether the upstream could be reached. */
  void observed(CallResult result, long nowNanos) {
    if (result.succeeded() || result.status() > 0) {
      set("UP", null, nowNanos, "traffic");
      lastAnsweredNanos = nowNanos;
    } else if (UNREACHABLE.contains(result.errorKind()) && nowNanos - lastAnsweredNanos > DOWN_AFTER_NANOS) {
      // DOWN only when nothing answered for a while: on a starved machine a few connects time out while
      // others succeed, and /health (503 when DOWN) must not flap with each call.
      set("DOWN", result.errorKind() + ": " + result.errorMessage(), nowNanos, "traffic");
    }
  }

  public boolean unreachable(String kind) {
    return UNREACHABLE.contains(kind);
  }

  /** The upstream's state as /health reports it: from recent traffic, or else from a fresh probe. */
  public Future<JsonObject> report() {
    if (replicas != null) {
      return reportReplicas();
    }
    if (observed && System.nanoTime() - observedNanos < FRESH_NANOS) {
      return Future.succeededFuture(json(source));
    }
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setURI(healthUrl.basePath())
        .setTimeout(config.connectTimeout().toMillis());
    return probe.request(request)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .transform(ar -> {
          if (ar.succeeded() && ar.result() == 200) {
            set("UP", null, System.nanoTime(), "probe");
          } else if (ar.succeeded()) {
            set("DOWN", "health answered " + ar.result(), System.nanoTime(), "probe");
          } else if (DEFINITELY_UNREACHABLE.contains(FailureKinds.of(ar.cause()))) {
            set("DOWN", FailureKinds.of(ar.cause()) + ": " + ar.cause().getMessage(), System.nanoTime(), "probe");
          }
          // A probe that timed out says nothing certain (on a starved machine the probe itself waits): the
          // state stays what it was.
          return Future.succeededFuture(json("probe"));
        });
  }

  /** Several replicas: each one's state from a fresh probe; the upstream is UP while one of them is. */
  private Future<JsonObject> reportReplicas() {
    return replicas.probeAll().map(states -> {
      String overall = ReplicaProbes.overall(states);
      if (!"UNKNOWN".equals(overall)) {
        set(overall, "DOWN".equals(overall) ? states.values().iterator().next().error() : null, System.nanoTime(),
            "probe");
      }
      return json("probe").put("endpoints", ReplicaProbes.json(states));
    });
  }

  /** Runs once per call: kept to plain field writes, no clock read (the wall-clock time is derived when reported). */
  private void set(String newState, String error, long nowNanos, String from) {
    if (state != newState) { // the states are the constants "UP" and "DOWN"
      state = newState;
    }
    if (source != from) { // the constants "traffic" and "probe"
      source = from;
    }
    if (lastError != error) {
      lastError = error;
    }
    observedNanos = nowNanos;
    if (!observed) {
      observed = true;
    }
  }

  private JsonObject json(String source) {
    JsonObject j = new JsonObject()
        .put("url", config.upstream().toString())
        .put("state", state)
        .put("source", source)
        .put("observedAt", observed
            ? Instant.now().minusNanos(System.nanoTime() - observedNanos).toString() : null);
    if (lastError != null) {
      j.put("error", lastError);
    }
    return j;
  }

  Future<Void> close() {
    return replicas == null ? probe.close() : probe.close().eventually(replicas::close);
  }
}
