package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The services' counts for a window, from two scrapes of known values: differences of counters, the error outcomes
 * that grew, the connection the scraper itself opened, and the ratios derived from them. RunCountsTest checks the
 * same figures against real services.
 */
class ServiceCountsTest {

  private static final PrometheusText GATEWAY_BEFORE = PrometheusText.parse("""
      gateway_fanout_requests_total 10
      gateway_upstream_requests_total{outcome="success"} 100
      gateway_upstream_requests_total{outcome="timeout"} 5
      gateway_upstream_connections_opened_total 3
      gateway_upstream_connections_closed_total 1
      gateway_upstream_connections_active 2
      gateway_upstream_tls_handshakes_total{resumed="false"} 3
      gateway_upstream_tls_handshakes_total{resumed="true"} 1
      gateway_event_loop_cpu_seconds_total{loop="0"} 0.5
      gateway_event_loop_cpu_seconds_total{loop="1"} 0.5
      """);

  /** 10 more requests, 1,000 more calls (4 refused), 5 connections opened, 3 closed, 2 full TLS handshakes, 4 resumed. */
  private static final PrometheusText GATEWAY_AFTER = PrometheusText.parse("""
      gateway_fanout_requests_total 20
      gateway_upstream_requests_total{outcome="success"} 1096
      gateway_upstream_requests_total{outcome="timeout"} 5
      gateway_upstream_requests_total{outcome="connection_refused"} 4
      gateway_upstream_connections_opened_total 8
      gateway_upstream_connections_closed_total 4
      gateway_upstream_connections_active 5
      gateway_upstream_tls_handshakes_total{resumed="false"} 5
      gateway_upstream_tls_handshakes_total{resumed="true"} 5
      gateway_event_loop_cpu_seconds_total{loop="0"} 0.75
      gateway_event_loop_cpu_seconds_total{loop="1"} 0.75
      """);

  @Test
  void theGatewaysWindowIsTheDifferenceOfItsCounters() {
    ServiceCounts.Gateway g = ServiceCounts.Gateway.between(GATEWAY_BEFORE, GATEWAY_AFTER);

    assertThat(g.requests()).isEqualTo(10);
    assertThat(g.upstreamCalls()).isEqualTo(1000);
    // Only outcomes other than success that grew in the window: the timeouts were all before it.
    assertThat(g.upstreamCallErrors()).containsExactly(Map.entry("connection_refused", 4L));
    assertThat(g.connectionsOpened()).isEqualTo(5);
    assertThat(g.connectionsClosed()).isEqualTo(3);
    assertThat(g.connectionsActiveAtStart()).as("the first scrape's gauge").isEqualTo(2);
    assertThat(g.calls()).as("no latency histogram exported").isNull();
    assertThat(g.tls()).isEqualTo(new ServiceCounts.Tls(2, 4, 0.5));

    assertThat(g.handshakesPerRequest()).isEqualTo(0.5);
    assertThat(g.requestsPerConnection()).as("over the 5 opened and the 2 already open")
        .isCloseTo(1000.0 / 7, within(1e-9));
    assertThat(g.tlsFullPerRequest()).isEqualTo(0.2);
    assertThat(g.tlsResumedPerRequest()).isEqualTo(0.4);
    assertThat(g.cpuMicrosPerCall()).isCloseTo(500.0, within(1e-9));

    JsonObject j = g.toJson();
    assertThat(j.getLong("requests")).isEqualTo(10);
    assertThat(j.getLong("upstreamCalls")).isEqualTo(1000);
    assertThat(j.getJsonObject("upstreamCallErrors").getLong("connection_refused")).isEqualTo(4);
    assertThat(j.getLong("connectionsOpened")).isEqualTo(5);
    assertThat(j.getLong("connectionsClosed")).isEqualTo(3);
    assertThat(j.getLong("connectionsActiveAtStart")).isEqualTo(2);
    assertThat(j.getDouble("handshakesPerRequest")).isEqualTo(0.5);
    assertThat(j.getLong("tlsFullHandshakes")).isEqualTo(2);
    assertThat(j.getLong("tlsResumedHandshakes")).isEqualTo(4);
    assertThat(j.getDouble("cpuSeconds")).isEqualTo(0.5);
    assertThat(j.getDouble("cpuMicrosPerUpstreamCall")).isCloseTo(500.0, within(1e-9));
    assertThat(j.getValue("calls")).isNull();
  }

  @Test
  void withoutRequestsCallsOrConnectionsTheRatiosAreUnknownNotDividedByZero() {
    ServiceCounts.Gateway idle = ServiceCounts.Gateway.between(GATEWAY_AFTER, GATEWAY_AFTER);
    assertThat(idle.requests()).isZero();
    assertThat(idle.upstreamCallErrors()).isEmpty();
    assertThat(idle.handshakesPerRequest()).isNull();
    assertThat(idle.tlsFullPerRequest()).isNull();
    assertThat(idle.tlsResumedPerRequest()).isNull();
    assertThat(idle.cpuMicrosPerCall()).isNull();
    assertThat(idle.requestsPerConnection()).as("5 connections still open carried nothing").isZero();
    ServiceCounts.Gateway none = new ServiceCounts.Gateway(0, 0, Map.of(), 0, 0, 0, null, new ServiceCounts.Tls(0, 0, null));
    assertThat(none.requestsPerConnection()).isNull();
    assertThat(none.cpuMicrosPerCall()).isNull();
  }

  @Test
  void cpuIsKnownOnlyWhenBothScrapesHaveIt() {
    PrometheusText without = PrometheusText.parse("gateway_fanout_requests_total 10\n");
    assertThat(ServiceCounts.Tls.between(without, GATEWAY_AFTER, "gateway", "gateway_upstream_tls_handshakes_total")
        .cpuSeconds()).isNull();
    assertThat(ServiceCounts.Tls.between(GATEWAY_BEFORE, without, "gateway", "gateway_upstream_tls_handshakes_total")
        .cpuSeconds()).isNull();
    assertThat(ServiceCounts.Tls.between(GATEWAY_BEFORE, GATEWAY_AFTER, "upstream", "gateway_upstream_tls_handshakes_total")
        .cpuSeconds()).as("another service's family").isNull();
  }

  @Test
  void theUpstreamsConnectionsLeaveOutTheSecondScrapesOwnButNotQuics() {
    PrometheusText before = PrometheusText.parse("""
        upstream_requests_total{status="200"} 50
        upstream_connections_accepted_total{protocol="tcp"} 10
        upstream_connections_accepted_total{protocol="quic"} 1
        upstream_event_loop_cpu_seconds_total 1.0
        """);
    PrometheusText after = PrometheusText.parse("""
        upstream_requests_total{status="200"} 140
        upstream_requests_total{status="500"} 10
        upstream_connections_accepted_total{protocol="tcp"} 14
        upstream_connections_accepted_total{protocol="quic"} 3
        upstream_event_loop_cpu_seconds_total 1.2
        upstream_tls_handshakes_total{resumed="false"} 1
        upstream_tls_handshakes_total{resumed="true"} 2
        """);
    ServiceCounts.Upstream u = ServiceCounts.Upstream.between(before, after);
    assertThat(u.requests()).isEqualTo(100);
    // 4 TCP connections, one of them the scrape's, and 2 QUIC ones.
    assertThat(u.connectionsAccepted()).isEqualTo(5);
    assertThat(u.tls()).isEqualTo(new ServiceCounts.Tls(1, 2, u.tls().cpuSeconds()));
    assertThat(u.tls().cpuSeconds()).isCloseTo(0.2, within(1e-9));
    assertThat(u.cpuMicrosPerCall()).isCloseTo(2000.0, within(1e-6));
    JsonObject j = u.toJson();
    assertThat(j.getLong("requests")).isEqualTo(100);
    assertThat(j.getLong("connectionsAccepted")).isEqualTo(5);
    assertThat(j.getLong("tlsFullHandshakes")).isEqualTo(1);
    assertThat(j.getLong("tlsResumedHandshakes")).isEqualTo(2);
    assertThat(j.getDouble("cpuMicrosPerCall")).isCloseTo(2000.0, within(1e-6));

    // Only QUIC connections in the window (the scrape's TCP connection is then not there to leave out either way).
    PrometheusText quicOnly = PrometheusText.parse("""
        upstream_connections_accepted_total{protocol="tcp"} 10
        upstream_connections_accepted_total{protocol="quic"} 3
        """);
    assertThat(ServiceCounts.Upstream.between(before, quicOnly).connectionsAccepted()).isEqualTo(2);
    assertThat(ServiceCounts.Upstream.between(before, quicOnly).cpuMicrosPerCall()).isNull();
  }

  @Test
  void theJsonHoldsWhatEachServiceSaid() {
    ServiceCounts both = new ServiceCounts(ServiceCounts.Gateway.between(GATEWAY_BEFORE, GATEWAY_AFTER),
        new ServiceCounts.Upstream(7, 1, new ServiceCounts.Tls(0, 0, null)));
    assertThat(both.toJson().getJsonObject("gateway").getLong("requests")).isEqualTo(10);
    assertThat(both.toJson().getJsonObject("upstream").getLong("requests")).isEqualTo(7);
    ServiceCounts neither = new ServiceCounts(null, null);
    assertThat(neither.toJson().getValue("gateway")).isNull();
    assertThat(neither.toJson().getValue("upstream")).isNull();
  }
}
