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
  private static final Set<String> UNREACHABLE = Set.of("connect_refused", "connect_timeout", "unknown_host");
  private static final long FRESH_NANOS = 2_000_000_000L;

  private final GatewayConfig config;
  private final HttpClientAgent probe;
  private volatile String state = "UNKNOWN";
  private volatile String lastError;
  private volatile long observedNanos;
  private volatile boolean observed;

  public UpstreamHealth(Vertx vertx, GatewayConfig config) {
    this.config = config;
    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(config.upstream().host())
        .setDefaultPort(config.upstream().port())
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setKeepAliveTimeout(Math.max(1, (int) config.keepAliveTimeout().toSeconds()));
    // Over TLS like the pool, with its own handshake record: the probe's handshakes are not the pool's.
    new UpstreamTls(config).apply(options);
    this.probe = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(1))
        .build();
  }

  /** Every finished call tells whether the upstream could be reached. */
  void observed(CallResult result, long nowNanos) {
    if (result.succeeded() || result.status() > 0) {
      set("UP", null, nowNanos);
    } else if (UNREACHABLE.contains(result.errorKind())) {
      set("DOWN", result.errorKind() + ": " + result.errorMessage(), nowNanos);
    }
  }

  public boolean unreachable(String kind) {
    return UNREACHABLE.contains(kind);
  }

  /** The upstream's state as /health reports it: from recent traffic, or else from a fresh probe. */
  public Future<JsonObject> report() {
    if (observed && System.nanoTime() - observedNanos < FRESH_NANOS) {
      return Future.succeededFuture(json("traffic"));
    }
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setURI(config.upstream().basePath() + "/health")
        .setTimeout(config.connectTimeout().toMillis());
    return probe.request(request)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .transform(ar -> {
          if (ar.succeeded() && ar.result() == 200) {
            set("UP", null, System.nanoTime());
          } else {
            set("DOWN", ar.succeeded() ? "health answered " + ar.result()
                : FailureKinds.of(ar.cause()) + ": " + ar.cause().getMessage(), System.nanoTime());
          }
          return Future.succeededFuture(json("probe"));
        });
  }

  /** Runs once per call: kept to plain field writes, no clock read (the wall-clock time is derived when reported). */
  private void set(String newState, String error, long nowNanos) {
    if (state != newState) { // the states are the constants "UP" and "DOWN"
      state = newState;
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
    return probe.close();
  }
}
