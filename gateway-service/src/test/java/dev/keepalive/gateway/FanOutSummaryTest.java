package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsHandshake;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a fan-out's answer says about its calls, from their results: the same body the loopback tests read, with
 * every field derived from a known set of calls, including those the deadline left unanswered.
 */
class FanOutSummaryTest {
  private static final TlsHandshake FULL = new TlsHandshake(false, "TLSv1.3", "h2");
  private static final TlsHandshake RESUMED = new TlsHandshake(true, "TLSv1.3", "h2");

  @Test
  void callsAreCountedByOutcomeConnectionAndReplica() {
    List<Future<CallResult>> calls = List.of(
        done(new CallResult(200, null, null, true, 1, 5, "10.0.0.1:80", null)),
        done(new CallResult(200, null, null, false, 1, 5, "10.0.0.1:80", null)),
        done(new CallResult(200, null, null, true, 2, 5, "10.0.0.2:80", null)),
        done(new CallResult(503, "http_5xx", "upstream answered 503", false, 2, 5, "10.0.0.2:80", null)),
        done(new CallResult(500, "http_5xx", "upstream answered 500", false, 2, 5, "10.0.0.2:80", null)),
        done(new CallResult(0, "connect_refused", "refused", false, 0, 5, null, null)),
        Promise.<CallResult>promise().future());

    JsonObject body = FanOutHandler.FanOutSummary.of(calls).toJson(12_345_678);

    assertThat(body.getInteger("calls")).isEqualTo(7);
    assertThat(body.getInteger("succeeded")).isEqualTo(3);
    assertThat(body.getInteger("failed")).as("three failed and one unanswered").isEqualTo(4);
    assertThat(body.getInteger("newConnections")).isEqualTo(2);
    assertThat(body.getInteger("connectionsUsed")).as("ids 1 and 2; a call without a connection uses none").isEqualTo(2);
    assertThat(body.getDouble("durationMs")).isEqualTo(12.35);
    assertThat(body.containsKey("tls")).as("no call went over TLS").isFalse();
    assertThat(body.getJsonObject("endpoints")).isEqualTo(new JsonObject()
        .put("10.0.0.1:80", new JsonObject().put("calls", 2).put("newConnections", 1))
        .put("10.0.0.2:80", new JsonObject().put("calls", 3).put("newConnections", 1)));
    JsonObject errors = body.getJsonObject("errors");
    assertThat(errors.fieldNames()).containsExactly("http_5xx", "connect_refused", "deadline_exceeded");
    assertThat(errors.getJsonObject("http_5xx"))
        .isEqualTo(new JsonObject().put("count", 2).put("example", "upstream answered 503"));
    assertThat(errors.getJsonObject("connect_refused").getInteger("count")).isEqualTo(1);
    assertThat(errors.getJsonObject("deadline_exceeded"))
        .isEqualTo(new JsonObject().put("count", 1).put("example", "no answer before the fan-out's deadline"));
  }

  @Test
  void onlyTheHandshakesOfConnectionsTheFanOutOpenedAreItsOwn() {
    List<Future<CallResult>> calls = List.of(
        done(new CallResult(200, null, null, true, 1, 5, "a:1", FULL)),
        done(new CallResult(200, null, null, false, 1, 5, "a:1", FULL)),
        done(new CallResult(200, null, null, true, 2, 5, "a:1", RESUMED)),
        done(new CallResult(200, null, null, false, 3, 5, "a:1", RESUMED)));

    JsonObject body = FanOutHandler.FanOutSummary.of(calls).toJson(0);

    assertThat(body.getJsonObject("tls")).isEqualTo(new JsonObject().put("fullHandshakes", 1)
        .put("resumedHandshakes", 1).put("alpn", "h2").put("version", "TLSv1.3"));
    assertThat(body.containsKey("errors")).as("nothing failed").isFalse();
    assertThat(body.getInteger("failed")).isZero();
  }

  @Test
  void aFanOutTheDeadlineCutShortCountsItsUnansweredCallsAsFailed() {
    List<Future<CallResult>> calls = List.of(Promise.<CallResult>promise().future(),
        Promise.<CallResult>promise().future());
    FanOutHandler.FanOutSummary summary = FanOutHandler.FanOutSummary.of(calls);
    assertThat(summary.unfinished()).isEqualTo(2);
    JsonObject body = summary.toJson(0);
    assertThat(body.getInteger("failed")).isEqualTo(2);
    assertThat(body.getInteger("succeeded")).isZero();
    assertThat(body.getJsonObject("errors").fieldNames()).containsExactly("deadline_exceeded");
    assertThat(body.getJsonObject("endpoints")).isEqualTo(new JsonObject());
  }

  private static Future<CallResult> done(CallResult result) {
    return Future.succeededFuture(result);
  }
}
