package dev.keepalive.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the services' own metrics say about the measured window: the difference of two scrapes, taken
 * after the warm-up had drained and after the window's last request had returned.
 */
record ServiceCounts(Gateway gateway, Upstream upstream) {

  /**
   * @param connectionsActiveAtStart upstream connections already open when the window began (kept alive
   *     from the warm-up); with those opened during it, the connections that could carry its calls
   * @param calls per-call latency from the gateway's histogram; null when it has none
   */
  record Gateway(long requests, long upstreamCalls, Map<String, Long> upstreamCallErrors, long connectionsOpened,
      long connectionsClosed, long connectionsActiveAtStart, CallLatency calls) {

    static Gateway between(PrometheusText before, PrometheusText after) {
      Map<String, Long> errors = new TreeMap<>();
      Map<String, Double> start = before.byLabel("gateway_upstream_requests_total", "outcome");
      after.byLabel("gateway_upstream_requests_total", "outcome").forEach((outcome, value) -> {
        long delta = Math.round(value - start.getOrDefault(outcome, 0.0));
        if (!outcome.equals("success") && delta > 0) {
          errors.put(outcome, delta);
        }
      });
      return new Gateway(
          delta(before, after, "gateway_fanout_requests_total"),
          delta(before, after, "gateway_upstream_requests_total"),
          errors,
          delta(before, after, "gateway_upstream_connections_opened_total"),
          delta(before, after, "gateway_upstream_connections_closed_total"),
          Math.round(before.sum("gateway_upstream_connections_active")),
          CallLatency.between(before, after));
    }

    /** TCP handshakes the gateway made per request it answered. */
    Double handshakesPerRequest() {
      return requests == 0 ? null : (double) connectionsOpened / requests;
    }

    /** Upstream calls per connection that carried them (open at the start, or opened during the window). */
    Double requestsPerConnection() {
      long connections = connectionsOpened + connectionsActiveAtStart;
      return connections == 0 ? null : (double) upstreamCalls / connections;
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("requests", requests)
          .put("upstreamCalls", upstreamCalls)
          .put("upstreamCallErrors", new JsonObject(Map.copyOf(upstreamCallErrors)))
          .put("connectionsOpened", connectionsOpened)
          .put("connectionsClosed", connectionsClosed)
          .put("connectionsActiveAtStart", connectionsActiveAtStart)
          .put("handshakesPerRequest", handshakesPerRequest())
          .put("requestsPerConnection", requestsPerConnection())
          .put("calls", calls == null ? null : calls.toJson());
    }
  }

  record Upstream(long requests, long connectionsAccepted) {
    /** Less one connection: the one the second scrape itself opened (the scraper does not keep connections alive). */
    static Upstream between(PrometheusText before, PrometheusText after) {
      return new Upstream(delta(before, after, "upstream_requests_total"),
          Math.max(0, delta(before, after, "upstream_connections_accepted_total") - 1));
    }

    JsonObject toJson() {
      return new JsonObject().put("requests", requests).put("connectionsAccepted", connectionsAccepted);
    }
  }

  private static long delta(PrometheusText before, PrometheusText after, String family) {
    return Math.round(after.sum(family) - before.sum(family));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("gateway", gateway == null ? null : gateway.toJson())
        .put("upstream", upstream == null ? null : upstream.toJson());
  }
}
