package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load a run applies: its model, how many requests the open model sends, and how it is described and saved. */
class LoadPlanTest {
  private static final Duration S10 = Duration.ofSeconds(10);

  private static LoadPlan plan(double rate, int concurrency, Duration warmup, int calls) {
    return new LoadPlan(rate, concurrency, 64, S10, warmup, calls, Duration.ofSeconds(5));
  }

  @Test
  void aRateAboveZeroIsTheOpenModelAndSendsOneRequestPerSlot() {
    LoadPlan open = plan(250, 1, Duration.ZERO, 0);
    assertThat(open.openModel()).isTrue();
    assertThat(open.requestsIn(Duration.ofSeconds(2))).isEqualTo(500);
    // A partial slot is not sent: 2.5/s for 1.9 s is 4.75 slots, 4 requests.
    assertThat(plan(2.5, 1, Duration.ZERO, 0).requestsIn(Duration.ofMillis(1900))).isEqualTo(4);
    assertThat(plan(0.5, 1, Duration.ZERO, 0).requestsIn(Duration.ofMillis(1999))).isZero();
    assertThat(plan(0, 8, Duration.ZERO, 0).openModel()).isFalse();
  }

  @Test
  void theDescriptionNamesTheModelTheWindowsAndTheFanOut() {
    assertThat(plan(250, 1, Duration.ofSeconds(2), 100).describe())
        .isEqualTo("rate 250/s (open model), 10s after 2s warm-up, 100 calls per request");
    assertThat(plan(2.5, 1, Duration.ZERO, 0).describe())
        .isEqualTo("rate 2.5/s (open model), 10s, gateway's default fan-out");
    assertThat(plan(0, 16, Duration.ofMillis(500), 2).describe())
        .isEqualTo("concurrency 16 (closed model), 10s after 500ms warm-up, 2 calls per request");
    assertThat(plan(0, 1, Duration.ZERO, 1).describe())
        .isEqualTo("concurrency 1 (closed model), 10s, 1 call per request");
  }

  @Test
  void theJsonGivesOnlyTheFiguresOfItsModel() {
    assertThat(plan(250, 3, Duration.ofSeconds(2), 100).toJson()).isEqualTo(new JsonObject()
        .put("model", "open").put("rate", 250.0).putNull("concurrency").put("connections", 64).put("duration", "10s")
        .put("warmup", "2s").put("calls", 100).put("timeout", "5s"));
    assertThat(plan(0, 16, Duration.ZERO, 0).toJson()).isEqualTo(new JsonObject()
        .put("model", "closed").putNull("rate").put("concurrency", 16).put("connections", 64).put("duration", "10s")
        .put("warmup", "0").putNull("calls").put("timeout", "5s"));
  }

  @Test
  void wholeRatesArePrintedWithoutADecimalPoint() {
    assertThat(LoadPlan.trim(40)).isEqualTo("40");
    assertThat(LoadPlan.trim(0.25)).isEqualTo("0.25");
    assertThat(LoadPlan.trim(1e6)).isEqualTo("1000000");
  }

  @Test
  void eachBadValueIsNamedByItsFlag() {
    Duration s = Duration.ofSeconds(1);
    assertThat(new LoadPlan(0, 1, 1, s, Duration.ZERO, 0, s).rate()).isZero();
    assertThat(new LoadPlan(1_000_000, 100_000, 100_000, s, Duration.ZERO, 100_000, s).rate()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> new LoadPlan(-0.5, 1, 1, s, s, 0, s))
        .hasMessage("Invalid value for --rate: -0.5 (must be between 0 and 1000000)");
    assertThatThrownBy(() -> new LoadPlan(1_000_000.5, 1, 1, s, s, 0, s))
        .hasMessage("Invalid value for --rate: 1000000.5 (must be between 0 and 1000000)");
    assertThatThrownBy(() -> new LoadPlan(Double.NaN, 1, 1, s, s, 0, s)).hasMessageStartingWith("Invalid value for --rate: NaN");
    assertThatThrownBy(() -> new LoadPlan(0, 0, 1, s, s, 0, s)).hasMessageStartingWith("Invalid value for --concurrency: 0");
    assertThatThrownBy(() -> new LoadPlan(0, 1, 100_001, s, s, 0, s))
        .hasMessageStartingWith("Invalid value for --connections: 100001");
    assertThatThrownBy(() -> new LoadPlan(0, 1, 1, Duration.ZERO, s, 0, s)).hasMessageStartingWith("Invalid value for --duration");
    assertThatThrownBy(() -> new LoadPlan(0, 1, 1, s, s.negated(), 0, s)).hasMessageStartingWith("Invalid value for --warmup");
    assertThatThrownBy(() -> new LoadPlan(0, 1, 1, s, s, -1, s)).hasMessageStartingWith("Invalid value for --calls: -1");
    assertThatThrownBy(() -> new LoadPlan(0, 1, 1, s, s, 0, Duration.ZERO)).hasMessageStartingWith("Invalid value for --timeout");
  }
}
