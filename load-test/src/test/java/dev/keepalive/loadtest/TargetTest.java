package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The URLs --target and the metrics flags accept: plain http, a path prefix kept, everything else refused by name. */
class TargetTest {

  @Test
  void aUrlGivesHostPortAndPathWithoutTrailingSlashes() {
    assertThat(Target.parse("--target", " http://127.0.0.1:8080/ ")).isEqualTo(new Target("127.0.0.1", 8080, ""));
    assertThat(Target.parse("--target", "HTTP://gateway/api//")).isEqualTo(new Target("gateway", 80, "/api"));
    assertThat(Target.parse("--target", "http://[::1]:9")).isEqualTo(new Target("[::1]", 9, ""));
    assertThat(Target.parse("--target", "http://h:1/a").resolve("/metrics")).isEqualTo(new Target("h", 1, "/a/metrics"));
    assertThat(new Target("h", 1, "/a")).hasToString("http://h:1/a");
  }

  @Test
  void anythingButAPlainHttpUrlIsRefusedNamingTheFlag() {
    for (String bad : new String[] {"https://h:1", "ftp://x", "h:1", "http://h:1/?q=1", "http://h:1/#f", "http://u@h:1",
        "http:///path"}) {
      assertThatThrownBy(() -> Target.parse("--gateway-metrics", bad)).as(bad)
          .hasMessage("Invalid value for --gateway-metrics: '" + bad + "' is not an http URL (write e.g. "
              + "http://localhost:8080) (plain http, no query)");
    }
    assertThatThrownBy(() -> Target.parse("--target", "http://h:1/ a")).hasMessage(
        "Invalid value for --target: 'http://h:1/ a' is not an http URL (write e.g. http://localhost:8080)");
  }
}
