package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /health with several replicas, as a table of their states: the upstream is UP while one replica is, DOWN only once
 * every one is, UNKNOWN otherwise; each replica's entry says its state and, when DOWN, why. (ReplicasTest shows the
 * same over real replicas being stopped and restarted.)
 */
class ReplicaStatesTest {
  private static final ReplicaProbes.State UP = new ReplicaProbes.State("UP", null);
  private static final ReplicaProbes.State DOWN = new ReplicaProbes.State("DOWN", "connect_refused: Connection refused");
  private static final ReplicaProbes.State UNKNOWN = new ReplicaProbes.State("UNKNOWN", null);

  @Test
  void theUpstreamIsUpWhileOneReplicaIsAndDownOnlyOnceEveryOneIs() {
    assertThat(ReplicaProbes.overall(states(DOWN, UP, UNKNOWN))).isEqualTo("UP");
    assertThat(ReplicaProbes.overall(states(UP, UP))).isEqualTo("UP");
    assertThat(ReplicaProbes.overall(states(DOWN, DOWN, DOWN))).isEqualTo("DOWN");
    assertThat(ReplicaProbes.overall(states(DOWN, UNKNOWN))).as("one replica not probed yet").isEqualTo("UNKNOWN");
    assertThat(ReplicaProbes.overall(states(UNKNOWN, UNKNOWN))).isEqualTo("UNKNOWN");
  }

  @Test
  void eachReplicasEntrySaysItsStateAndWhyItIsDown() {
    assertThat(ReplicaProbes.json(states(UP, DOWN))).isEqualTo(new JsonObject()
        .put("127.0.0.1:8001", new JsonObject().put("state", "UP"))
        .put("127.0.0.1:8002", new JsonObject().put("state", "DOWN").put("error", "connect_refused: Connection refused")));
    assertThat(ReplicaProbes.json(states(UP, DOWN)).fieldNames()).as("in --upstream's order")
        .containsExactly("127.0.0.1:8001", "127.0.0.1:8002");
  }

  private static Map<String, ReplicaProbes.State> states(ReplicaProbes.State... s) {
    Map<String, ReplicaProbes.State> m = new LinkedHashMap<>();
    for (int i = 0; i < s.length; i++) {
      m.put("127.0.0.1:" + (8001 + i), s[i]);
    }
    return m;
  }
}
