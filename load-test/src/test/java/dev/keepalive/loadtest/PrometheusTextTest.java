package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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

  @Test
  void labelValuesUnescapeQuotesBackslashesAndNewlines() {
    PrometheusText t = PrometheusText.parse("m{a=\"x\\\"y\", b=\"1\\\\2\",c=\"l1\\nl2\"} 4\n");
    assertThat(t.byLabel("m", "a")).containsExactly(entry("x\"y", 4.0));
    assertThat(t.byLabel("m", "b")).containsExactly(entry("1\\2", 4.0));
    assertThat(t.byLabel("m", "c")).containsExactly(entry("l1\nl2", 4.0));
  }

  @Test
  void byLabelSumsTheSeriesSharingAValueAndGroupsThoseWithoutTheLabelUnderEmpty() {
    PrometheusText t = PrometheusText.parse("""
        c{outcome="ok",instance="1"} 2
        c{outcome="ok",instance="2"} 3
        c{outcome="timeout"} 1
        c 7
        other{outcome="ok"} 100
        """);
    assertThat(t.byLabel("c", "outcome")).containsExactly(entry("ok", 5.0), entry("timeout", 1.0), entry("", 7.0));
    assertThat(t.byLabel("absent", "outcome")).isEmpty();
    assertThat(t.sum("c")).isEqualTo(13.0);
    assertThat(t.has("c")).isTrue();
    assertThat(t.has("absent")).isFalse();
    assertThat(t.has("c_total")).as("a name is matched whole").isFalse();
  }

  @Test
  void valuesMayBeInfiniteOrFollowedByATimestamp() {
    PrometheusText t = PrometheusText.parse("""
        up 1 1700000000000
        hi{le="+Inf"} +Inf
        lo -Inf
        """);
    assertThat(t.sum("up")).isEqualTo(1.0);
    assertThat(t.sum("hi")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(t.sum("lo")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(t.byLabel("hi", "le")).containsOnlyKeys("+Inf");
  }

  @Test
  void linesThatAreNotSamplesAreSkippedNotFatal() {
    PrometheusText t = PrometheusText.parse(String.join("\n",
        "",
        "   ",
        "# TYPE good counter",
        "noValue",
        "notANumber abc",
        "unquoted{a=b} 1",
        "cut{a=",
        "unclosed{a=\"b",
        "empty{a=\"b\"}",
        "trailing{a=\"b\\",
        "noBrace{a=\"b\"",
        "noBraceAfterComma{a=\"b\",",
        "  good{a=\"b\"}   2.5  ",
        "bare{} 3"));
    assertThat(t.sum("good")).isEqualTo(2.5);
    assertThat(t.byLabel("good", "a")).containsExactly(entry("b", 2.5));
    assertThat(t.sum("bare")).isEqualTo(3.0);
    for (String skipped : new String[] {"noValue", "notANumber", "unquoted", "cut", "unclosed", "empty", "trailing", "noBrace",
        "noBraceAfterComma", "#"}) {
      assertThat(t.has(skipped)).as(skipped).isFalse();
    }
  }

  @Test
  void aBraceAfterTheFirstSpaceIsPartOfTheValueNotLabels() {
    // "name value" where a brace comes later: the name ends at the space; the value is what follows it.
    PrometheusText t = PrometheusText.parse("plain 6 {x}\nglued{a=\"b\"}7\n");
    assertThat(t.sum("plain")).isEqualTo(6.0);
    assertThat(t.sum("glued")).isEqualTo(7.0);
  }
}
