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
      long connectionsClosed, long connectionsActiveAtStart, CallLatency calls, Tls tls) {

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
          CallLatency.between(before, after),
          Tls.between(before, after, "gateway", "gateway_upstream_tls_handshakes_total"));
    }

    /** The gateway's event-loop CPU per upstream call, in microseconds; null without calls or the metric. */
    Double cpuMicrosPerCall() {
      return tls.cpuSeconds() == null || upstreamCalls == 0 ? null : tls.cpuSeconds() * 1e6 / upstreamCalls;
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
          .put("calls", calls == null ? null : calls.toJson())
          .put("tlsFullHandshakes", tls.full())
          .put("tlsResumedHandshakes", tls.resumed())
          .put("cpuSeconds", tls.cpuSeconds())
          .put("cpuMicrosPerUpstreamCall", cpuMicrosPerCall());
    }

    /** TLS handshakes per request the gateway answered, full and resumed. */
    Double tlsFullPerRequest() {
      return requests == 0 ? null : (double) tls.full() / requests;
    }

    Double tlsResumedPerRequest() {
      return requests == 0 ? null : (double) tls.resumed() / requests;
    }
  }

  /**
   * A service's TLS handshakes in the window (full and resumed) and its event-loop CPU seconds (null if the
   * service does not export them).
   */
  record Tls(long full, long resumed, Double cpuSeconds) {
    static Tls between(PrometheusText before, PrometheusText after, String service, String handshakes) {
      Map<String, Double> start = before.byLabel(handshakes, "resumed");
      Map<String, Double> end = after.byLabel(handshakes, "resumed");
      long full = Math.round(end.getOrDefault("false", 0.0) - start.getOrDefault("false", 0.0));
      long resumed = Math.round(end.getOrDefault("true", 0.0) - start.getOrDefault("true", 0.0));
      String cpu = service + "_event_loop_cpu_seconds_total";
      Double seconds = after.has(cpu) && before.has(cpu) ? after.sum(cpu) - before.sum(cpu) : null;
      return new Tls(full, resumed, seconds);
    }
  }

  record Upstream(long requests, long connectionsAccepted, Tls tls) {
    /**
     * Less one TCP connection: the one the second scrape itself opened (the scraper does not keep connections alive).
     * QUIC connections (label protocol="quic") are all the gateway's.
     */
    static Upstream between(PrometheusText before, PrometheusText after) {
      String family = "upstream_connections_accepted_total";
      Map<String, Double> b = before.byLabel(family, "protocol");
      Map<String, Double> a = after.byLabel(family, "protocol");
      long quic = Math.round(a.getOrDefault("quic", 0.0) - b.getOrDefault("quic", 0.0));
      long all = delta(before, after, family);
      return new Upstream(delta(before, after, "upstream_requests_total"), Math.max(0, all - quic - 1) + quic,
          Tls.between(before, after, "upstream", "upstream_tls_handshakes_total"));
    }

    /** The upstream's event-loop CPU per request it served, in microseconds. */
    Double cpuMicrosPerCall() {
      return tls.cpuSeconds() == null || requests == 0 ? null : tls.cpuSeconds() * 1e6 / requests;
    }

    JsonObject toJson() {
      return new JsonObject().put("requests", requests).put("connectionsAccepted", connectionsAccepted)
          .put("tlsFullHandshakes", tls.full()).put("tlsResumedHandshakes", tls.resumed())
          .put("cpuSeconds", tls.cpuSeconds()).put("cpuMicrosPerCall", cpuMicrosPerCall());
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
