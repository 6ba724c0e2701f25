package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The live line is rewritten in place on a terminal, and printed as a plain line every 5 s otherwise. */
class ProgressTest {

  @Test
  void onATerminalTheLineIsRewrittenEverySecond() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out), true, "", 10);
    Recording r = recordingWithOneRequest();
    for (int i = 0; i < 3; i++) {
      p.tick(r);
    }
    p.done();

    assertThat(out.toString()).doesNotContain("\n").contains("1 requests  0 errors").contains("p99 2.0 ms");
    // Three lines each starting with \r, then the last one blanked out between two more.
    assertThat(out.toString().split("\r", -1)).hasSize(6);
  }

  @Test
  void elsewhereAPlainLineEveryFiveSeconds() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out), false, "", 10);
    Recording r = recordingWithOneRequest();
    for (int i = 0; i < 10; i++) {
      p.tick(r);
    }
    p.done();

    assertThat(out.toString()).doesNotContain("\r").hasLineCount(2);
  }

  @Test
  void pastTheWindowTheLineSaysItWaitsForTheRequestsInFlight() {
    StringWriter out = new StringWriter();
    // Started 10 s ago with an 8 s window: the driver only waits for the last requests now.
    Progress p = new Progress(new PrintWriter(out), false, "run ", 8);
    Recording r = new Recording(System.nanoTime() - 10_000_000_000L);
    for (int i = 0; i < 5; i++) {
      p.tick(r);
    }

    assertThat(out.toString()).startsWith("run   8.0s/8s ").contains("(waiting for the requests in flight)");
  }

  @Test
  void withinTheWindowTheLineShowsTheTimeElapsed() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out), false, "run ", 60);
    Recording r = new Recording(System.nanoTime() - 10_000_000_000L);
    for (int i = 0; i < 5; i++) {
      p.tick(r);
    }

    assertThat(out.toString()).startsWith("run  10.").contains("s/60s ").doesNotContain("waiting");
  }

  private static Recording recordingWithOneRequest() {
    Recording r = new Recording(System.nanoTime());
    r.response(2_000_000, null, 0);
    return r;
  }
}
