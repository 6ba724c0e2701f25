package dev.keepalive.loadtest;

import io.vertx.core.json.JsonArray;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side table: one row per run with throughput, latency (per request as the driver saw it,
 * per upstream call as the gateway's histogram says), connections, handshakes per request, requests
 * per connection, the share of call time spent setting up connections and the speedup over the
 * baseline (keep-alive off when present).
 */
final class ResultTable {
  static final List<String> COLUMNS = List.of("configuration", "req/s", "upstream calls/s", "p50", "p99", "call p50",
      "call p99", "errors", "conns opened", "handshakes/req", "req/conn", "set-up share", "speedup");

  private final List<List<String>> rows = new ArrayList<>();

  /** @param baseline the run others are compared with; null for no speedup column values */
  ResultTable(List<RunResult> runs, RunResult baseline) {
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
          r.setupShare() == null ? "n/a" : String.format("%.1f%%", 100 * r.setupShare()),
          baseline == null || baseline.throughput() == 0 ? "" : String.format("%.2fx", r.throughput() / baseline.throughput())));
    }
  }

  void print(PrintWriter out) {
    int[] width = new int[COLUMNS.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = COLUMNS.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    printRow(out, COLUMNS, width);
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "  ").append("-".repeat(w));
    }
    out.println(rule);
    for (List<String> row : rows) {
      printRow(out, row, width);
    }
    out.flush();
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
