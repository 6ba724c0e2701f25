package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The plain progress line (not a terminal) never shows more time than the window. */
class ProgressTest {

  @Test
  void pastTheWindowTheLineSaysItWaitsForRequestsInFlight() {
    StringWriter text = new StringWriter();
    // Started 10 s ago, with an 8 s window: the driver is waiting for the last requests.
    Progress progress = new Progress(new PrintWriter(text), false, "run ", 8);
    Recording recording = new Recording(System.nanoTime() - 10_000_000_000L);
    for (int i = 0; i < 5; i++) {
      progress.tick(recording);
    }
    assertThat(text.toString()).startsWith("run   8.0s/8s ").contains("(waiting for the requests in flight)");
  }

  @Test
  void withinTheWindowTheLineShowsTheElapsedTime() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), false, "run ", 60);
    Recording recording = new Recording(System.nanoTime() - 10_000_000_000L);
    for (int i = 0; i < 5; i++) {
      progress.tick(recording);
    }
    assertThat(text.toString()).startsWith("run  10.").contains("s/60s ").doesNotContain("waiting");
  }
}
