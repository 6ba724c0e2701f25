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

  private static Recording recordingWithOneRequest() {
    Recording r = new Recording(System.nanoTime());
    r.response(2_000_000, null, 0);
    return r;
  }
}
