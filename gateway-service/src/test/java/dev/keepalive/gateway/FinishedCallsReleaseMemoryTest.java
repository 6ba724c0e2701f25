package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * A finished upstream call leaves nothing scheduled behind. With the WebClient's {@code timeout()}, Vert.x 5.1.6
 * armed a pool-wait timer after the connection was granted and never cancelled it, so every call (and, without
 * keep-alive, its closed connection) stayed reachable for the whole request timeout: a gateway under load held
 * seconds' worth of calls in memory. The gateway's per-call timer is now the idle timeout, cancelled when the
 * answer arrives.
 */
class FinishedCallsReleaseMemoryTest {
  private static final String TIMER_CLASS = "io.vertx.core.impl.VertxImpl$InternalTimerHandler";
  private static final int CALLS = 1000;

  @Test
  void aThousandAnsweredCallsLeaveNoTimerAlive() throws Exception {
    // A minute of request timeout: a timer that outlived its call would still be alive when the test counts.
    try (Stack stack = Stack.start(u -> u, c -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(60)))) {
      assertThat(stack.fanout("?calls=100").status()).isEqualTo(200); // connections open, classes loaded
      long before = liveInstances(TIMER_CLASS);
      // The pool cleaner's periodic timer at least: 0 would mean the class was renamed and nothing is measured.
      assertThat(before).as("live %s before the calls", TIMER_CLASS).isPositive();
      for (int i = 0; i < CALLS / 100; i++) {
        Http.Answer answer = stack.fanout("?calls=100");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      }
      long after = liveInstances(TIMER_CLASS);
      assertThat(after - before)
          .as("Vert.x timers still alive after %d answered calls (%d before, %d after)", CALLS, before, after)
          .isLessThan(CALLS / 10);
    }
  }

  /** Live instances of a class, from the JVM's own class histogram (which collects garbage first). */
  static long liveInstances(String className) throws Exception {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {null}, new String[] {String[].class.getName()});
    for (String line : histogram.split("\n")) {
      String[] columns = line.trim().split("\\s+");
      // "num: #instances #bytes class name (module)"
      if (columns.length >= 4 && columns[3].equals(className)) {
        return Long.parseLong(columns[1]);
      }
    }
    return 0;
  }
}
