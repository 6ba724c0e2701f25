package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scale-out table and the report's data from known outcomes: each replica's share of the second half, C's
 * first call, and each replica's calls per second between samples (ScaleOutTest runs the scenario itself).
 */
class ScaleOutTableTest {
  private static final ScaleOutScenario.Outcome TRAPPED = new ScaleOutScenario.Outcome(ScaleOutScenario.Way.LINK_KEEP_ALIVE,
      new long[] {600, 400, 0}, 0, 0, 0, 0, 120, 0, 5.0, -1, List.of(
          new ScaleOutScenario.Sample(0, new long[] {0, 0, 0}),
          new ScaleOutScenario.Sample(0.5, new long[] {100, 50, 0}),
          new ScaleOutScenario.Sample(1.0, new long[] {200, 150, 0}),
          new ScaleOutScenario.Sample(1.1, new long[] {230, 160, 0})));
  private static final ScaleOutScenario.Outcome BALANCED = new ScaleOutScenario.Outcome(ScaleOutScenario.Way.CLIENT_BALANCED,
      new long[] {1000, 1000, 2000}, 4, 3, 2, 1, 1234, 5, 5.0, 0.25, List.of(
          new ScaleOutScenario.Sample(4.5, new long[] {10, 10, 0}),
          new ScaleOutScenario.Sample(5.25, new long[] {40, 40, 75})));

  @Test
  void eachWayGetsARowOfSharesAndCounts() {
    ScaleOutTable table = new ScaleOutTable(List.of(TRAPPED, BALANCED));
    assertThat(table.rowsJson()).isEqualTo(new JsonArray()
        .add(new JsonArray(List.of("1 link, keep-alive", "60.0 %", "40.0 %", "0.0 %", "never", "0", "1,000", "0", "0",
            "0", "120")))
        .add(new JsonArray(List.of("3 client round-robin", "25.0 %", "25.0 %", "50.0 %", "+0.25 s", "4", "4,000", "3",
            "2", "1", "1,234 (5 failed)"))));

    // A buffered writer, as the terminal's is: print flushes the table itself.
    StringWriter text = new StringWriter();
    table.print(new PrintWriter(new BufferedWriter(text)));
    List<String> lines = text.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("way                 ").contains("C's first call");
    assertThat(lines.get(1)).startsWith("1 link, keep-alive  ").endsWith("  120");
    assertThat(lines.get(2)).startsWith("3 client round-robin").endsWith("1,234 (5 failed)");
    // right-aligned columns: every row as wide as the header
    assertThat(lines.get(1).length()).isEqualTo(lines.get(0).length());
  }

  @Test
  void aWayWithNoCallsInItsSecondHalfHasNoShares() {
    ScaleOutScenario.Outcome idle = new ScaleOutScenario.Outcome(ScaleOutScenario.Way.LINK_MAX_AGE, new long[3], 0, 0,
        0, 0, 0, 0, 5.0, -1, List.of());
    assertThat(new ScaleOutTable(List.of(idle)).rowsJson().getJsonArray(0).getList().subList(1, 4))
        .containsExactly("0.0 %", "0.0 %", "0.0 %");
  }

  @Test
  void theReportGetsEachReplicasCallsPerSecondAndSkipsATooShortLastInterval() {
    JsonArray ways = ScaleOutTable.waysJson(List.of(TRAPPED, BALANCED));
    JsonObject trapped = ways.getJsonObject(0);
    assertThat(trapped.getString("name")).isEqualTo("1 link, keep-alive");
    assertThat(trapped.getJsonArray("secondHalfCalls")).isEqualTo(new JsonArray().add(600).add(400).add(0));
    assertThat(trapped.getValue("cFirstCallAfter")).as("C never answered").isNull();
    assertThat(trapped.getJsonArray("timeline")).as("0.1 s after the last sample is too short a rate")
        .isEqualTo(new JsonArray()
            .add(new JsonObject().put("t", 0.5).put("callsPerSecond", new JsonArray().add(200).add(100).add(0)))
            .add(new JsonObject().put("t", 1.0).put("callsPerSecond", new JsonArray().add(200).add(200).add(0))));

    JsonObject balanced = ways.getJsonObject(1);
    assertThat(balanced.getDouble("cFirstCallAfter")).isEqualTo(0.25);
    assertThat(balanced.getDouble("cStartedAt")).isEqualTo(5.0);
    assertThat(balanced.getLong("connectionsAcceptedByC")).isEqualTo(4);
    assertThat(balanced.getLong("failedCalls")).isEqualTo(3);
    assertThat(balanced.getLong("failedOver")).isEqualTo(2);
    assertThat(balanced.getLong("drainedAtMaxAge")).isEqualTo(1);
    assertThat(balanced.getLong("fanouts")).isEqualTo(1234);
    assertThat(balanced.getLong("failedFanouts")).isEqualTo(5);
    assertThat(balanced.getJsonArray("timeline")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("t", 5.25).put("callsPerSecond", new JsonArray().add(40).add(40).add(100))));
  }

  @Test
  void aFirstCallAtTheMomentCJoinedIsNotNeverAndHalfASampleIsLongEnoughForARate() {
    // C answered its first call in the very sample it started in; the last interval is exactly half a sample (0.25 s).
    ScaleOutScenario.Outcome immediate = new ScaleOutScenario.Outcome(ScaleOutScenario.Way.CLIENT_BALANCED,
        new long[] {10, 10, 10}, 1, 0, 0, 0, 30, 0, 5.0, 0.0, List.of(
            new ScaleOutScenario.Sample(5.0, new long[] {0, 0, 0}),
            new ScaleOutScenario.Sample(5.25, new long[] {10, 20, 30})));
    assertThat(new ScaleOutTable(List.of(immediate)).rowsJson().getJsonArray(0).getString(4)).isEqualTo("+0.00 s");
    JsonObject way = ScaleOutTable.waysJson(List.of(immediate)).getJsonObject(0);
    assertThat(way.getDouble("cFirstCallAfter")).isEqualTo(0.0);
    assertThat(way.getJsonArray("timeline")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("t", 5.25).put("callsPerSecond", new JsonArray().add(40).add(80).add(120))));
  }
}
