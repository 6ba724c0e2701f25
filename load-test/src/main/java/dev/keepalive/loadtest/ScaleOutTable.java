package dev.keepalive.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The scale-out scenario's table: one row per way, each replica's share of the second half's calls. */
final class ScaleOutTable {
  static final List<String> COLUMNS = List.of("way", "A", "B", "C", "C's first call", "C connections", "calls, 2nd half",
      "failed calls", "failed over", "drained at age", "fan-outs");

  private final List<List<String>> rows = new ArrayList<>();

  ScaleOutTable(List<ScaleOutScenario.Outcome> outcomes) {
    for (ScaleOutScenario.Outcome o : outcomes) {
      rows.add(List.of((o.way().ordinal() + 1) + " " + o.way().shortName,
          percent(o.share(0)), percent(o.share(1)), percent(o.share(2)),
          o.cFirstCallAfter() < 0 ? "never" : String.format("+%.2f s", o.cFirstCallAfter()),
          String.format("%,d", o.acceptedByC()),
          String.format("%,d", o.secondHalfTotal()),
          String.format("%,d", o.failedCalls()),
          String.format("%,d", o.failedOver()),
          String.format("%,d", o.drained()),
          o.failedFanouts() == 0 ? String.format("%,d", o.fanouts())
              : String.format("%,d (%,d failed)", o.fanouts(), o.failedFanouts())));
    }
  }

  private static String percent(double share) {
    return String.format("%.1f %%", 100 * share);
  }

  void print(PrintWriter out) {
    int[] width = new int[COLUMNS.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = COLUMNS.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    printRow(out, COLUMNS, width);
    rows.forEach(r -> printRow(out, r, width));
    out.flush();
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String format = i == 0 ? "%-" + width[i] + "s" : "  %" + width[i] + "s";
      sb.append(String.format(format, cells.get(i)));
    }
    out.println(sb.toString().stripTrailing());
  }

  JsonArray rowsJson() {
    JsonArray a = new JsonArray();
    rows.forEach(r -> a.add(new JsonArray(List.copyOf(r))));
    return a;
  }

  /** Every way's counts, and each replica's calls per second between samples (the report's charts). */
  static JsonArray waysJson(List<ScaleOutScenario.Outcome> outcomes) {
    JsonArray ways = new JsonArray();
    for (ScaleOutScenario.Outcome o : outcomes) {
      JsonArray perSecond = new JsonArray();
      List<ScaleOutScenario.Sample> s = o.samples();
      for (int i = 1; i < s.size(); i++) {
        double dt = s.get(i).t() - s.get(i - 1).t();
        if (dt < ScaleOutScenario.SAMPLE.toMillis() / 2000.0) {
          continue; // the last sample, taken when the load ended just after another: too short a rate to read
        }
        JsonArray rates = new JsonArray();
        for (int r = 0; r < 3; r++) {
          rates.add(Math.round((s.get(i).calls()[r] - s.get(i - 1).calls()[r]) / dt));
        }
        perSecond.add(new JsonObject().put("t", Math.round(s.get(i).t() * 100) / 100.0).put("callsPerSecond", rates));
      }
      JsonArray secondHalf = new JsonArray();
      for (long c : o.secondHalf()) {
        secondHalf.add(c);
      }
      ways.add(new JsonObject()
          .put("name", (o.way().ordinal() + 1) + " " + o.way().shortName)
          .put("label", o.way().label)
          .put("secondHalfCalls", secondHalf)
          .put("connectionsAcceptedByC", o.acceptedByC())
          .put("failedCalls", o.failedCalls())
          .put("failedOver", o.failedOver())
          .put("drainedAtMaxAge", o.drained())
          .put("fanouts", o.fanouts())
          .put("failedFanouts", o.failedFanouts())
          .put("cStartedAt", Math.round(o.cStartedAt() * 100) / 100.0)
          .put("cFirstCallAfter", o.cFirstCallAfter() < 0 ? null : Math.round(o.cFirstCallAfter() * 1000) / 1000.0)
          .put("timeline", perSecond));
    }
    return ways;
  }
}
