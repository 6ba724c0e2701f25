package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load-test scale-out} with a short window (6 s per way, C at 3 s, age 1.5 s): where the calls of the second
 * half went, from the replicas' own counters, as the JSON report gives them.
 */
class ScaleOutTest {

  @Test
  void theNewReplicaStaysIdleBehindTheLinkGetsCallsWithAMaximumAgeAndAtOnceWithClientBalancing(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("scale-out.json");
    Path html = dir.resolve("scale-out.html");
    Cli cli = Cli.run("scale-out", "--duration", "6s", "--json", json.toString(), "--html", html.toString());
    System.out.println(cli.out());
    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("C connections", "(1) Behind a balancer of connections");

    JsonArray ways = new JsonObject(Files.readString(json)).getJsonArray("ways");
    assertThat(ways).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonObject way = ways.getJsonObject(i);
      assertThat(way.getLong("failedCalls")).as("%s: failed upstream calls", way.getString("name")).isZero();
      assertThat(way.getLong("failedFanouts")).as("%s: fan-outs not answered 200", way.getString("name")).isZero();
      assertThat(way.getLong("fanouts")).as("%s: fan-outs", way.getString("name")).isPositive();
      JsonArray half = way.getJsonArray("secondHalfCalls");
      assertThat(half.getLong(0)).as("%s: A's calls in the second half", way.getString("name")).isPositive();
      assertThat(half.getLong(1)).as("%s: B's calls in the second half", way.getString("name")).isPositive();
    }

    // (1) The warm pool keeps its connections on A and B: C gets no connection, so no call.
    JsonObject keepAlive = ways.getJsonObject(0);
    assertThat(keepAlive.getLong("connectionsAcceptedByC")).as("connections C accepted, plain keep-alive").isZero();
    assertThat(keepAlive.getJsonArray("secondHalfCalls").getLong(2)).as("C's calls, plain keep-alive").isZero();
    assertThat(keepAlive.getLong("drainedAtMaxAge")).isZero();
    assertThat(keepAlive.getValue("cFirstCallAfter")).as("C's first call, plain keep-alive").isNull();

    // (2) Connections drained at their age reopen through the link, and some land on C.
    JsonObject maxAge = ways.getJsonObject(1);
    assertThat(maxAge.getLong("drainedAtMaxAge")).as("connections drained at the age").isPositive();
    assertThat(maxAge.getLong("connectionsAcceptedByC")).as("connections C accepted, max age").isGreaterThanOrEqualTo(1);
    assertThat(maxAge.getJsonArray("secondHalfCalls").getLong(2)).as("C's calls, max age").isPositive();
    // Converged within about one age: every connection open 1.1 ages after C's start was opened after it, round robin
    // over three targets, so C holds at least one of the 4 (a quarter of the calls, if they are spread evenly).
    double settled = maxAge.getDouble("cStartedAt") + 1.1 * AGE_SECONDS;
    assertThat(shareOfC(maxAge, settled)).as("C's share of the calls from %.2f s (C's start + 1.1 ages), max age", settled)
        .isGreaterThanOrEqualTo(0.15);

    // (3) Every call is balanced: C, listed from the start, takes about a third as soon as it runs. Its calls before
    // that were refused and failed over to A or B (counted, and not failed).
    JsonObject client = ways.getJsonObject(2);
    JsonArray half = client.getJsonArray("secondHalfCalls");
    long total = half.getLong(0) + half.getLong(1) + half.getLong(2);
    assertThat(half.getLong(2)).as("C's calls with client balancing, of %d", total).isPositive()
        .isGreaterThanOrEqualTo(total / 5);
    assertThat(client.getLong("failedOver")).as("calls C refused before it ran, sent to A or B").isPositive();
    assertThat(client.getDouble("cFirstCallAfter")).as("seconds from C's start to its first call").isNotNull();
    // At once: already in the first whole sample after C's start (no timing bound; a share of the calls).
    assertThat(shareOfC(client, client.getDouble("cStartedAt")))
        .as("C's share in the samples from its start, client balancing").isGreaterThanOrEqualTo(0.2);
    JsonArray firstAfter = firstSampleFrom(client, client.getDouble("cStartedAt"));
    assertThat(share(firstAfter)).as("C's share in the first whole sample after its start, %s", firstAfter)
        .isGreaterThanOrEqualTo(0.2);

    // The HTML report charts the same data: three series (A, B, C) per way, C above 0 after its start in ways 2 and 3.
    String page = Files.readString(html);
    String open = "<script type=\"application/json\" id=\"report-data\">";
    int from = page.indexOf(open) + open.length();
    JsonArray drawn = new JsonObject(page.substring(from, page.indexOf("</script>", from)).replace("<\\/", "</"))
        .getJsonArray("ways");
    assertThat(drawn).isEqualTo(ways);
    for (int i = 0; i < 3; i++) {
      JsonObject way = drawn.getJsonObject(i);
      assertThat(way.getJsonArray("timeline")).as("%s: samples charted", way.getString("name")).hasSizeGreaterThan(4)
          .allSatisfy(p -> assertThat(((JsonObject) p).getJsonArray("callsPerSecond")).hasSize(3));
    }
    assertThat(firstSampleFrom(drawn.getJsonObject(0), 0).getLong(0)).as("A's calls per second, first sample").isPositive();
    assertThat(shareOfC(drawn.getJsonObject(1), drawn.getJsonObject(1).getDouble("cStartedAt"))).isPositive();
    assertThat(shareOfC(drawn.getJsonObject(2), drawn.getJsonObject(2).getDouble("cStartedAt"))).isPositive();
  }

  /** --duration 6s: way 2's age is a quarter of it. */
  private static final double AGE_SECONDS = 1.5;

  /** C's share of the calls in the timeline's samples that began at or after {@code from} (seconds). */
  private static double shareOfC(JsonObject way, double from) {
    long[] sums = new long[3];
    double previous = 0;
    for (Object o : way.getJsonArray("timeline")) {
      JsonObject sample = (JsonObject) o;
      if (previous >= from) {
        JsonArray rates = sample.getJsonArray("callsPerSecond");
        for (int r = 0; r < 3; r++) {
          sums[r] += rates.getLong(r);
        }
      }
      previous = sample.getDouble("t");
    }
    long total = sums[0] + sums[1] + sums[2];
    assertThat(total).as("calls per second in %s's samples from %.2f s", way.getString("name"), from).isPositive();
    return (double) sums[2] / total;
  }

  /** Each replica's calls per second in the first sample that began at or after {@code from} (seconds). */
  private static JsonArray firstSampleFrom(JsonObject way, double from) {
    double previous = 0;
    for (Object o : way.getJsonArray("timeline")) {
      JsonObject sample = (JsonObject) o;
      if (previous >= from) {
        return sample.getJsonArray("callsPerSecond");
      }
      previous = sample.getDouble("t");
    }
    throw new AssertionError("no sample began after " + from + " s in " + way.encode());
  }

  private static double share(JsonArray rates) {
    long total = rates.getLong(0) + rates.getLong(1) + rates.getLong(2);
    return total == 0 ? 0 : (double) rates.getLong(2) / total;
  }

  @Test
  void compareScaleOutIsTheSameScenario() {
    Cli help = Cli.run("compare", "scale-out", "--help");
    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).contains("Usage: load-test compare scale-out", "--pool-size",
        "--max-connection-age");
    Cli bad = Cli.run("compare", "scale-out", "--duration", "0s");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--duration");
    assertThat(Cli.run("compare", "--help").out()).contains("compare scale-out");
  }

  @Test
  void badFlagsAreUsageErrorsNamingTheFlag() {
    Cli zero = Cli.run("scale-out", "--duration", "0s");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).contains("--duration");
    Cli pool = Cli.run("scale-out", "--pool-size", "0");
    assertThat(pool.exit()).isEqualTo(2);
    assertThat(pool.err()).contains("--pool-size");
  }
}
