package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The summary {@code run} prints, line by line, from runs of known counts. Against real services (where the counts
 * are not known in advance) RunCountsTest and CommandLineTest read the same lines.
 */
class SummaryTest {
  private static final Target TARGET = new Target("127.0.0.1", 8080, "");
  private static final LoadPlan CLOSED = new LoadPlan(0, 4, 4, Duration.ofSeconds(2), Duration.ZERO, 100,
      Duration.ofSeconds(10));
  private static final LoadPlan OPEN = new LoadPlan(40, 1, 4, Duration.ofSeconds(2), Duration.ZERO, 0,
      Duration.ofSeconds(10));

  /** RunResultTest's 100 latencies: 50 × 1.0 ms, 40 × 1.5, 9 × 1.9, 1 × 2.0. */
  private static Histogram latencies() {
    return RunResultTest.latencies();
  }

  /** What print leaves on a buffered writer, as the terminal's is: it flushes the summary itself. */
  private static String print(RunResult r) {
    StringWriter s = new StringWriter();
    Summary.print(new PrintWriter(new BufferedWriter(s)), r);
    return s.toString().replace(System.lineSeparator(), "\n");
  }

  private static ServiceCounts.Gateway gateway(Map<String, Long> errors, ServiceCounts.Tls tls) {
    // 100 requests, 10,000 calls over 10 new connections and 2 kept from before.
    return new ServiceCounts.Gateway(100, 10_000, errors, 10, 0, 2, null, tls);
  }

  @Test
  void aMeasuredRunSaysWhatTheDriverSawThenWhatTheServicesCounted() {
    Map<String, Long> errors = new LinkedHashMap<>();
    errors.put("http_503", 3L);
    errors.put("timeout", 2L);
    ServiceCounts services = new ServiceCounts(gateway(Map.of("timeout", 7L), new ServiceCounts.Tls(4, 6, 1.5)),
        new ServiceCounts.Upstream(10_000, 12, new ServiceCounts.Tls(0, 0, 2.0)));
    RunResult r = new RunResult("run", TARGET, CLOSED, 2.0, 100, 5, errors, latencies(), List.of(), services,
        List.of("a warning", "another"), null);

    assertThat(print(r)).isEqualTo("""

        Target   http://127.0.0.1:8080
        Load     concurrency 4 (closed model), 2s, 100 calls per request

        Requests     100 in 2.0 s, 50.0 req/s
        Errors       5 (5.00%)  http_503 3, timeout 2
        Latency      p50 1.00 ms  p90 1.50 ms  p99 1.90 ms  p99.9 2.00 ms  max 2.00 ms

        Gateway      100 requests answered, 10,000 upstream calls (5,000/s), failed: timeout 7
        Connections  10 opened by the gateway (2 already open at the start), 12 accepted by the upstream
        Handshakes   0.100 per gateway request
        Reuse        833 upstream requests per connection
        TLS          0.100 handshakes per gateway request: 0.040 full, 0.060 resumed
        CPU          150 µs per upstream call in the gateway's event loops, 200 µs in the upstream's
        warning: a warning
        warning: another
        """);
  }

  @Test
  void anOpenModelRunWithoutAnswersOrMetricsSaysSoRatherThanPrintingZeros() {
    RunResult r = new RunResult("run", TARGET, OPEN, 2.0, 0, 0, Map.of(), new Histogram(60_000_000L, 3), List.of(),
        null, List.of(), null);

    assertThat(print(r)).isEqualTo("""

        Target   http://127.0.0.1:8080
        Load     rate 40/s (open model), 2s, gateway's default fan-out

        Requests     0 in 2.0 s, 0.0 req/s
        Errors       0 (0.00%)
        Latency      no responses
                     (open model: measured from each request's scheduled send time)
        """);
  }

  @Test
  void theGatewaysLinesLeaveOutWhatItsMetricsLack() {
    // No upstream metrics, no TLS, the gateway's CPU only.
    RunResult noUpstream = new RunResult("run", TARGET, CLOSED, 2.0, 100, 0, Map.of(), latencies(), List.of(),
        new ServiceCounts(gateway(Map.of(), new ServiceCounts.Tls(0, 0, 0.5)), null), List.of(), null);
    assertThat(print(noUpstream)).endsWith("""

        Gateway      100 requests answered, 10,000 upstream calls (5,000/s)
        Connections  10 opened by the gateway (2 already open at the start)
        Handshakes   0.100 per gateway request
        Reuse        833 upstream requests per connection
        CPU          50.0 µs per upstream call in the gateway's event loops
        """);

    // Resumed handshakes only; the upstream without CPU figures; the gateway without CPU figures: no CPU line.
    RunResult resumedOnly = new RunResult("run", TARGET, CLOSED, 2.0, 100, 0, Map.of(), latencies(), List.of(),
        new ServiceCounts(gateway(Map.of(), new ServiceCounts.Tls(0, 3, null)),
            new ServiceCounts.Upstream(10_000, 1, new ServiceCounts.Tls(0, 0, null))), List.of(), null);
    assertThat(print(resumedOnly)).endsWith("""
        Connections  10 opened by the gateway (2 already open at the start), 1 accepted by the upstream
        Handshakes   0.100 per gateway request
        Reuse        833 upstream requests per connection
        TLS          0.030 handshakes per gateway request: 0.000 full, 0.030 resumed
        """);

    RunResult upstreamCpuUnknown = new RunResult("run", TARGET, CLOSED, 2.0, 100, 0, Map.of(), latencies(), List.of(),
        new ServiceCounts(gateway(Map.of(), new ServiceCounts.Tls(0, 0, 0.5)),
            new ServiceCounts.Upstream(10_000, 1, new ServiceCounts.Tls(0, 0, null))), List.of(), null);
    assertThat(print(upstreamCpuUnknown)).endsWith("CPU          50.0 µs per upstream call in the gateway's event loops\n");
  }

  @Test
  void withoutTheGatewaysMetricsTheUpstreamsAreShown() {
    RunResult r = new RunResult("run", TARGET, CLOSED, 2.0, 100, 0, Map.of(), latencies(), List.of(),
        new ServiceCounts(null, new ServiceCounts.Upstream(1234, 5, new ServiceCounts.Tls(0, 0, null))), List.of(), null);
    assertThat(print(r)).endsWith("max 2.00 ms\n\nUpstream     1,234 requests, 5 connections accepted\n");
  }

  @Test
  void figuresAreRoundedToWhatTheirSizeNeeds() {
    assertThat(Summary.ms(100)).isEqualTo("100 ms");
    assertThat(Summary.ms(1234.4)).isEqualTo("1234 ms");
    assertThat(Summary.ms(99.5)).isEqualTo("99.50 ms");
    assertThat(Summary.ms(0.123)).isEqualTo("0.12 ms");

    assertThat(Summary.micros(null)).isEqualTo("n/a");
    assertThat(Summary.micros(100.0)).isEqualTo("100 µs");
    assertThat(Summary.micros(1234.0)).isEqualTo("1,234 µs");
    assertThat(Summary.micros(42.0)).isEqualTo("42.0 µs");

    assertThat(Summary.number(null)).isEqualTo("n/a");
    assertThat(Summary.number(100.0)).isEqualTo("100");
    assertThat(Summary.number(1234.0)).isEqualTo("1,234");
    assertThat(Summary.number(99.5)).isEqualTo("99.50");
    assertThat(Summary.number(1.0)).isEqualTo("1.00");
    assertThat(Summary.number(0.5)).isEqualTo("0.500");

    assertThat(Summary.count(1, "connection")).isEqualTo("1 connection");
    assertThat(Summary.count(0, "connection")).isEqualTo("0 connections");
    assertThat(Summary.count(6000, "connection")).isEqualTo("6,000 connections");

    assertThat(Summary.kinds(Map.of())).isEmpty();
    assertThat(Summary.kinds(Map.of("http_503", 12_000L))).isEqualTo("http_503 12,000");
  }
}
