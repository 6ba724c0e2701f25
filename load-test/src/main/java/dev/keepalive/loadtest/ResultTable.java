package dev.keepalive.loadtest;

import io.vertx.core.json.JsonArray;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side table: one row per run with throughput, latency (per request as the driver saw it,
 * per upstream call as the gateway's histogram says), connections, handshakes per request, requests
 * per connection, the round trips each new connection waited for (its protocol's), the time setting up the
 * connections cost (predicted: connections × round trips × RTT) and its share of call time, the speedup over the
 * baseline (keep-alive off when present); TLS handshakes per request and the event-loop CPU per upstream call of
 * the gateway and of the upstream.
 */
final class ResultTable {
  static final List<String> COLUMNS = List.of("configuration", "req/s", "upstream calls/s", "p50", "p99", "call p50",
      "call p99", "errors", "conns opened", "handshakes/req", "req/conn", "RTTs/conn", "set-up (predicted)", "set-up share", "TLS full/req", "TLS resumed/req",
      "gw CPU/call", "up CPU/call", "speedup");

  private static final List<String> TLS_COLUMNS = List.of("TLS full/req", "TLS resumed/req");

  private final List<List<String>> rows = new ArrayList<>();
  // The printed table leaves out the TLS columns when no run spoke TLS (they would read 0.000 on every row);
  // the JSON keeps every column.
  private final boolean anyTls;
  // HTTP/3 rows: QUIC's TLS 1.3 handshake is inside each QUIC handshake; the gateway tells full from resumed by its
  // trust manager, the upstream cannot (a footnote says so).
  private final boolean anyQuic;

  /** @param baseline the run others are compared with; null for no speedup column values */
  ResultTable(List<RunResult> runs, RunResult baseline) {
    anyTls = runs.stream().map(RunResult::gateway)
        .anyMatch(g -> g != null && g.tls().full() + g.tls().resumed() > 0)
        || runs.stream().anyMatch(RunResult::overQuic);
    anyQuic = runs.stream().anyMatch(RunResult::overQuic);
    for (RunResult r : runs) {
      ServiceCounts.Gateway g = r.gateway();
      rows.add(List.of(
          r.name(),
          String.format("%,.1f", r.throughput()),
          r.upstreamCallRate() == null ? "n/a" : String.format("%,.0f", r.upstreamCallRate()),
          Summary.ms(r.latencyMs(50)),
          Summary.ms(r.latencyMs(99)),
          r.calls() == null ? "n/a" : Summary.ms(r.calls().p50Seconds() * 1000),
          r.calls() == null ? "n/a" : Summary.ms(r.calls().p99Seconds() * 1000),
          r.failed() == 0 ? "0" : String.format("%,d (%.1f%%)", r.failed(), 100 * r.errorRate()),
          g == null ? "n/a" : String.format("%,d", g.connectionsOpened()),
          g == null ? "n/a" : Summary.number(g.handshakesPerRequest()),
          g == null ? "n/a" : Summary.number(g.requestsPerConnection()),
          r.path() == null ? "n/a" : r.path().setup().describe(),
          r.setupSeconds() == null ? "n/a" : Summary.ms(r.setupSeconds() * 1000),
          r.setupShare() == null ? "n/a" : String.format("%.1f%%", 100 * r.setupShare()),
          g == null ? "n/a" : Summary.number(g.tlsFullPerRequest()),
          g == null ? "n/a" : Summary.number(g.tlsResumedPerRequest()),
          g == null ? "n/a" : Summary.micros(g.cpuMicrosPerCall()),
          r.services() == null || r.services().upstream() == null ? "n/a" : Summary.micros(r.services().upstream().cpuMicrosPerCall()),
          baseline == null || baseline.throughput() == 0 ? "" : String.format("%.2fx", r.throughput() / baseline.throughput())));
    }
  }

  void print(PrintWriter out) {
    List<Integer> shown = new ArrayList<>();
    for (int c = 0; c < COLUMNS.size(); c++) {
      if (anyTls || !TLS_COLUMNS.contains(COLUMNS.get(c))) {
        shown.add(c);
      }
    }
    int[] width = new int[shown.size()];
    for (int i = 0; i < width.length; i++) {
      int c = shown.get(i);
      width[i] = COLUMNS.get(c).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(c).length());
      }
    }
    printRow(out, pick(COLUMNS, shown), width);
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "  ").append("-".repeat(w));
    }
    out.println(rule);
    for (List<String> row : rows) {
      printRow(out, pick(row, shown), width);
    }
    if (anyQuic) {
      out.println("HTTP/3: TLS full/resumed count the TLS 1.3 handshake inside each QUIC one, as the gateway saw it "
          + "(full: its trust manager checked the upstream's chain); Vert.x 5.1.6's QUIC did not resume here.");
    }
    out.flush();
  }

  private static List<String> pick(List<String> cells, List<Integer> shown) {
    return shown.stream().map(cells::get).toList();
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      b.append(c == 0 ? "" : "  ").append(c == 0 ? cell + pad : pad + cell);
    }
    out.println(b.toString().stripTrailing());
  }

  JsonArray rowsJson() {
    JsonArray out = new JsonArray();
    rows.forEach(r -> out.add(new JsonArray(new ArrayList<>(r))));
    return out;
  }
}
