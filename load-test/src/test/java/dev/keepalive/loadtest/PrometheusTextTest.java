package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void readsFamiliesByNameAndLabel() {
    PrometheusText t = PrometheusText.parse("""
        # HELP gateway_upstream_requests_total Upstream calls.
        # TYPE gateway_upstream_requests_total counter
        gateway_upstream_requests_total{outcome="success"} 120.0
        gateway_upstream_requests_total{outcome="timeout",x="a,b=\\"c\\""} 3.0
        gateway_upstream_connections_active 2
        upstream_request_duration_seconds_bucket{le="+Inf"} 7
        """);

    assertThat(t.sum("gateway_upstream_requests_total")).isEqualTo(123.0);
    assertThat(t.byLabel("gateway_upstream_requests_total", "outcome")).containsEntry("success", 120.0).containsEntry("timeout", 3.0);
    assertThat(t.sum("gateway_upstream_connections_active")).isEqualTo(2.0);
    assertThat(t.sum("absent")).isZero();
    assertThat(t.has("upstream_request_duration_seconds_bucket")).isTrue();
  }
}
