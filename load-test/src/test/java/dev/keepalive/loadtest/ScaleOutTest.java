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

    // (3) Every call is balanced: C, listed from the start, takes about a third as soon as it runs. Its calls before
    // that were refused and failed over to A or B (counted, and not failed).
    JsonObject client = ways.getJsonObject(2);
    JsonArray half = client.getJsonArray("secondHalfCalls");
    long total = half.getLong(0) + half.getLong(1) + half.getLong(2);
    assertThat(half.getLong(2)).as("C's calls with client balancing, of %d", total).isPositive()
        .isGreaterThanOrEqualTo(total / 5);
    assertThat(client.getLong("failedOver")).as("calls C refused before it ran, sent to A or B").isPositive();
    assertThat(client.getDouble("cFirstCallAfter")).as("seconds from C's start to its first call").isNotNull();

    String page = Files.readString(html);
    assertThat(page).contains("\"callsPerSecond\"", "C starts").doesNotContain("__DATA__");
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
