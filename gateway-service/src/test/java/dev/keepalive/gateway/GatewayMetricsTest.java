package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsHandshake;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Each of the gateway's metrics moves with exactly the event it names, and the series a dashboard reads exist
 * (at 0) before their first event. The loopback tests (ConnectionCountsTest, PrometheusExportTest) check the same
 * numbers against the upstream's; this is the fast check PIT runs first.
 */
class GatewayMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void aConnectionsLifeIsCountedByEndpointTransportAndWhoClosedIt() {
    GatewayMetrics.Endpoint a = metrics.endpoint("127.0.0.1:8001");
    assertThat(metrics.endpoint("127.0.0.1:8001")).isSameAs(a);
    assertThat(a.name()).isEqualTo("127.0.0.1:8001");
    // Every label value a dashboard sums exists from the endpoint's first connection.
    for (String by : new String[] {"local", "remote", "max_age"}) {
      assertThat(counter("gateway.upstream.connections.closed", "endpoint", a.name(), "closed_by", by)).isZero();
    }
    assertThat(counter("gateway.upstream.connections.opened", "endpoint", a.name(), "protocol", "quic")).isZero();

    metrics.connectionOpened(a, "tcp");
    metrics.connectionOpened(a, "quic");
    metrics.connectionOpened(a, "tcp");
    assertThat(counter("gateway.upstream.connections.opened", "endpoint", a.name(), "protocol", "tcp")).isEqualTo(2);
    assertThat(counter("gateway.upstream.connections.opened", "endpoint", a.name(), "protocol", "quic")).isEqualTo(1);
    assertThat(registry.get("gateway.upstream.connections.active").tag("endpoint", a.name()).gauge().value()).isEqualTo(3);

    metrics.requestSent(a);
    metrics.requestSent(a);
    assertThat(counter("gateway.upstream.endpoint.requests", "endpoint", a.name())).isEqualTo(2);

    metrics.connectionClosed(a, "remote", 7);
    metrics.connectionClosed(a, "max_age", 1);
    assertThat(registry.get("gateway.upstream.connections.active").tag("endpoint", a.name()).gauge().value()).isEqualTo(1);
    assertThat(counter("gateway.upstream.connections.closed", "endpoint", a.name(), "closed_by", "remote")).isEqualTo(1);
    assertThat(counter("gateway.upstream.connections.closed", "endpoint", a.name(), "closed_by", "max_age")).isEqualTo(1);
    assertThat(counter("gateway.upstream.connections.closed", "endpoint", a.name(), "closed_by", "local")).isZero();
    var perConnection = registry.get("gateway.upstream.requests.per.connection").tag("endpoint", a.name()).summary();
    assertThat(perConnection.count()).isEqualTo(2);
    assertThat(perConnection.totalAmount()).isEqualTo(8);

    // Another endpoint has series of its own.
    metrics.connectionOpened(metrics.endpoint("127.0.0.1:8002"), "tcp");
    assertThat(counter("gateway.upstream.connections.opened", "endpoint", "127.0.0.1:8001", "protocol", "tcp")).isEqualTo(2);
  }

  @Test
  void callsAndFanOutsAreCountedByOutcomeAndTimedUnlessNeverStarted() {
    metrics.upstreamCall("success", 2_000_000);
    metrics.upstreamCall("timeout", 3_000_000);
    metrics.upstreamCall("timeout", 1_000_000);
    assertThat(counter("gateway.upstream.requests", "outcome", "success")).isEqualTo(1);
    assertThat(counter("gateway.upstream.requests", "outcome", "timeout")).isEqualTo(2);
    assertThat(registry.get("gateway.upstream.request.duration").timer().count()).isEqualTo(3);
    assertThat(registry.get("gateway.upstream.request.duration").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(6.0);

    metrics.fanout("success", 5_000_000);
    metrics.fanout("success", 0);
    metrics.fanout("bad_request", -1); // answered before any call: no latency to record
    assertThat(counter("gateway.fanout.requests", "outcome", "success")).isEqualTo(2);
    assertThat(counter("gateway.fanout.requests", "outcome", "bad_request")).isEqualTo(1);
    assertThat(registry.get("gateway.fanout.duration").timer().count()).isEqualTo(2);
  }

  @Test
  void retriesByReasonExistAtZeroAndCount() {
    for (String reason : new String[] {"stale_connection", "unanswered_pipelined", "refused_stream", "http3_lost_end"}) {
      assertThat(counter("gateway.upstream.retries", "reason", reason)).as(reason).isZero();
    }
    metrics.retry("refused_stream");
    metrics.retry("refused_stream");
    metrics.retry("connect_refused");
    assertThat(counter("gateway.upstream.retries", "reason", "refused_stream")).isEqualTo(2);
    assertThat(counter("gateway.upstream.retries", "reason", "connect_refused")).isEqualTo(1);
  }

  @Test
  void admissionShedsAndGaugesAndTlsHandshakes() {
    int[] limit = {8};
    int[] inFlight = {3};
    metrics.admission(() -> limit[0], () -> inFlight[0]);
    limit[0] = 5;
    assertThat(registry.get("gateway.admission.limit").gauge().value()).isEqualTo(5);
    assertThat(registry.get("gateway.admission.in.flight").gauge().value()).isEqualTo(3);
    metrics.shed();
    metrics.shed();
    assertThat(counter("gateway.admission.shed")).isEqualTo(2);

    metrics.tlsHandshake(new TlsHandshake(false, "TLSv1.3", "h2"));
    metrics.tlsHandshake(new TlsHandshake(true, "TLSv1.3", "h2"));
    metrics.tlsHandshake(new TlsHandshake(true, "TLSv1.3", "h2"));
    metrics.tlsHandshake(null);
    assertThat(counter("gateway.upstream.tls.handshakes", "resumed", "false")).isEqualTo(1);
    assertThat(counter("gateway.upstream.tls.handshakes", "resumed", "true")).isEqualTo(2);
  }
}
