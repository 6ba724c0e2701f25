package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The comparison table's cells from known runs: each derived figure in its column and unit, "n/a" where a run has
 * no such figure, and the TLS columns printed only when some run spoke TLS. (CompareSmokeTest reads real runs.)
 */
class ResultTableTest {
  private static final Target TARGET = new Target("127.0.0.1", 8080, "/fanout");
  private static final LoadPlan PLAN = new LoadPlan(0, 4, 4, Duration.ofSeconds(2), Duration.ZERO, 100,
      Duration.ofSeconds(10));

  private static Histogram latencies() {
    Histogram h = new Histogram(60_000_000L, 3);
    h.recordValueWithCount(1000, 100);
    return h;
  }

  /** 100 requests of 100 calls in 2 s over 10 new connections, 20 ms RTT, 0.1 ms loopback connect. */
  private static RunResult measured(String name, long tlsFull) {
    return measured(name, tlsFull, 0);
  }

  /** The same run, with these TLS handshakes. */
  private static RunResult measured(String name, long tlsFull, long tlsResumed) {
    ServiceCounts services = new ServiceCounts(
        new ServiceCounts.Gateway(100, 10_000, Map.of(), 10, 0, 0, new CallLatency(10_000, 2.0, 0.02, 0.05, 1.0),
            new ServiceCounts.Tls(tlsFull, tlsResumed, 1.5)),
        new ServiceCounts.Upstream(10_000, 10, new ServiceCounts.Tls(tlsFull, tlsResumed, 2.0)));
    return new RunResult(name, TARGET, PLAN, 2.0, 100, 5, Map.of("http_503", 5L), latencies(), List.of(), services,
        List.of(), null)
        .withPath(new UpstreamPath(Duration.ofMillis(20), Duration.ZERO, 100_000, 10L, ConnectionSetup.TCP, 0));
  }

  /** A run of 25 requests in 2 s that read no service's metrics and knows nothing of the path. */
  private static RunResult bare() {
    return new RunResult("bare", TARGET, PLAN, 2.0, 25, 0, Map.of(), latencies(), List.of(), null, List.of(), null);
  }

  private static List<String> row(ResultTable table, int i) {
    JsonArray r = table.rowsJson().getJsonArray(i);
    return r.stream().map(String::valueOf).toList();
  }

  private static String cell(List<String> row, String column) {
    return row.get(ResultTable.COLUMNS.indexOf(column));
  }

  @Test
  void aMeasuredRowHasEachFigureInItsUnit() {
    ResultTable table = new ResultTable(List.of(bare(), measured("keep-alive", 0)), bare());
    List<String> r = row(table, 1);
    assertThat(cell(r, "configuration")).isEqualTo("keep-alive");
    assertThat(cell(r, "req/s")).isEqualTo("50.0");
    assertThat(cell(r, "upstream calls/s")).isEqualTo("5,000");
    assertThat(cell(r, "call p50")).isEqualTo("20.00 ms");
    assertThat(cell(r, "call p99")).isEqualTo("50.00 ms");
    assertThat(cell(r, "errors")).isEqualTo("5 (5.0%)");
    assertThat(cell(r, "conns opened")).isEqualTo("10");
    assertThat(cell(r, "handshakes/req")).isEqualTo("0.100");
    assertThat(cell(r, "req/conn")).isEqualTo("1,000");
    assertThat(cell(r, "RTTs/conn")).isEqualTo("1 TCP");
    // 10 connections × (20 ms + 0.1 ms), of the calls' 1.0 s on a connection
    assertThat(cell(r, "set-up (predicted)")).isEqualTo("201 ms");
    assertThat(cell(r, "set-up share")).isEqualTo("20.1%");
    assertThat(cell(r, "TLS full/req")).isEqualTo("0.000");
    assertThat(cell(r, "gw CPU/call")).isEqualTo("150 µs");
    assertThat(cell(r, "up CPU/call")).isEqualTo("200 µs");
    assertThat(cell(r, "speedup")).as("50 req/s over the baseline's 12.5").isEqualTo("4.00x");
  }

  @Test
  void aRunWithoutServiceMetricsSaysNotAvailable() {
    List<String> r = row(new ResultTable(List.of(bare()), null), 0);
    assertThat(cell(r, "req/s")).isEqualTo("12.5");
    assertThat(cell(r, "errors")).isEqualTo("0");
    for (String column : List.of("upstream calls/s", "call p50", "call p99", "conns opened", "handshakes/req",
        "req/conn", "RTTs/conn", "set-up (predicted)", "set-up share", "TLS full/req", "gw CPU/call", "up CPU/call")) {
      assertThat(cell(r, column)).as(column).isEqualTo("n/a");
    }
    assertThat(cell(r, "speedup")).as("no baseline").isEmpty();
  }

  @Test
  void theTlsColumnsArePrintedOnlyWhenSomeRunSpokeTls() {
    assertThat(printed(new ResultTable(List.of(measured("plain", 0)), null))).doesNotContain("TLS full/req");
    String withTls = printed(new ResultTable(List.of(measured("plain", 0), measured("tls", 10)), null));
    assertThat(withTls).contains("TLS full/req", "TLS resumed/req");
    assertThat(row(new ResultTable(List.of(measured("tls", 10)), null), 0).get(
        ResultTable.COLUMNS.indexOf("TLS full/req"))).isEqualTo("0.100");
    // Every handshake resumed is TLS all the same.
    assertThat(printed(new ResultTable(List.of(measured("plain", 0), measured("resumed", 0, 10)), null)))
        .contains("TLS full/req", "TLS resumed/req");
  }

  @Test
  void theTableIsPrintedInAlignedColumnsUnderARule() {
    String text = printed(new ResultTable(List.of(bare(), measured("keep-alive", 0)), bare()));
    // The first column reads left to right, the figures line up on their right; the rule is as wide as each column.
    assertThat(text.replace(System.lineSeparator(), "\n")).isEqualTo("""
        configuration  req/s  upstream calls/s      p50      p99  call p50  call p99    errors  conns opened  \
        handshakes/req  req/conn  RTTs/conn  set-up (predicted)  set-up share  gw CPU/call  up CPU/call  speedup
        -------------  -----  ----------------  -------  -------  --------  --------  --------  ------------  \
        --------------  --------  ---------  ------------------  ------------  -----------  -----------  -------
        bare            12.5               n/a  1.00 ms  1.00 ms       n/a       n/a         0           n/a  \
                   n/a       n/a        n/a                 n/a           n/a          n/a          n/a    1.00x
        keep-alive      50.0             5,000  1.00 ms  1.00 ms  20.00 ms  50.00 ms  5 (5.0%)            10  \
                 0.100     1,000      1 TCP              201 ms         20.1%       150 µs       200 µs    4.00x
        """);
  }

  /** What print leaves on a buffered writer, as the terminal's is: it flushes the table itself. */
  private static String printed(ResultTable table) {
    StringWriter s = new StringWriter();
    table.print(new PrintWriter(new BufferedWriter(s)));
    return s.toString();
  }
}
