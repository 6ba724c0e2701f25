package dev.keepalive.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * /health with several --upstream URLs: a probe of every replica's own {@code /health}, so that one replica down
 * shows, while the upstream as a whole is UP as long as one replica is (the balancer skips the others). Its own
 * small client, one connection per replica, outside the pools being measured.
 */
final class ReplicaProbes {
  /** Failures a single probe may conclude DOWN from; a timeout can be the gateway's own starved machine. */
  static final Set<String> DEFINITELY_UNREACHABLE = Set.of("connect_refused", "unknown_host", "no_route_to_host");

  /** One replica's state: UP, DOWN (with why) or UNKNOWN (no probe has told yet). */
  record State(String state, String error) {
    JsonObject json() {
      JsonObject j = new JsonObject().put("state", state);
      return error == null ? j : j.put("error", error);
    }
  }

  private final Map<String, UpstreamAddress> healthUrls = new LinkedHashMap<>();
  private final Map<String, State> last = new ConcurrentHashMap<>();
  private final long timeoutMillis;
  // Kept in a field: Vert.x 5 closes a client nobody references.
  private final HttpClientAgent probe;

  /** @param options the probe's client options (timeouts, TLS); each request names its replica */
  ReplicaProbes(Vertx vertx, UpstreamEndpoints endpoints, HttpClientOptions options, long timeoutMillis) {
    for (UpstreamAddress a : endpoints.addresses()) {
      String key = a.host() + ":" + a.port();
      healthUrls.put(key, new UpstreamAddress(a.host(), a.port(), a.basePath() + "/health", a.tls()));
      last.put(key, new State("UNKNOWN", null));
    }
    this.timeoutMillis = timeoutMillis;
    this.probe = vertx.httpClientBuilder().with(options).with(new PoolOptions().setHttp1MaxSize(1)).build();
  }

  /** Probes every replica at once; completes (never fails) with each replica's state, in --upstream's order. */
  Future<Map<String, State>> probeAll() {
    List<Future<Void>> probes = new ArrayList<>();
    healthUrls.forEach((key, url) -> probes.add(probe(key, url)));
    return Future.join(probes).transform(ar -> Future.succeededFuture(states()));
  }

  private Future<Void> probe(String key, UpstreamAddress url) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(url.host())
        .setPort(url.port())
        .setSsl(url.tls())
        .setURI(url.basePath())
        .setTimeout(timeoutMillis);
    return probe.request(request)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .transform(ar -> {
          if (ar.succeeded()) {
            last.put(key, ar.result() == 200 ? new State("UP", null) : new State("DOWN", "health answered " + ar.result()));
          } else {
            String kind = FailureKinds.of(ar.cause());
            if (DEFINITELY_UNREACHABLE.contains(kind)) {
              last.put(key, new State("DOWN", kind + ": " + ar.cause().getMessage()));
            }
            // A timeout says nothing certain: the replica keeps its last state.
          }
          return Future.succeededFuture();
        });
  }

  Map<String, State> states() {
    Map<String, State> copy = new LinkedHashMap<>();
    healthUrls.keySet().forEach(k -> copy.put(k, last.get(k)));
    return copy;
  }

  /** UP while one replica is, DOWN once every one is, else UNKNOWN. */
  static String overall(Map<String, State> states) {
    if (states.values().stream().anyMatch(s -> "UP".equals(s.state()))) {
      return "UP";
    }
    return states.values().stream().allMatch(s -> "DOWN".equals(s.state())) ? "DOWN" : "UNKNOWN";
  }

  static JsonObject json(Map<String, State> states) {
    JsonObject j = new JsonObject();
    states.forEach((k, s) -> j.put(k, s.json()));
    return j;
  }

  Future<Void> close() {
    return probe.close();
  }
}
