package dev.keepalive.loadtest;

import java.io.PrintWriter;

/**
 * The live progress line: rewritten in place ({@code \r}) on a terminal, a plain line every few
 * seconds otherwise, so logs and CI output stay readable.
 */
final class Progress {
  private static final int PLAIN_EVERY_SECONDS = 5;

  private final PrintWriter out;
  private final boolean terminal;
  private final String label;
  private final double seconds;
  private int ticks;
  private int lastWidth;

  Progress(PrintWriter out, boolean terminal, String label, double seconds) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.seconds = seconds;
  }

  /** No progress at all (the JIT warm-up of compare). */
  static Progress quiet() {
    return new Progress(null, false, "", 0);
  }

  static boolean stdoutIsTerminal() {
    return System.console() != null;
  }

  /** Called once a second by the driver. */
  void tick(Recording recording) {
    if (out == null) {
      return;
    }
    ticks++;
    if (!terminal && ticks % PLAIN_EVERY_SECONDS != 0) {
      return;
    }
    double elapsed = recording.elapsedSeconds();
    // Past the window the driver only waits for the requests in flight: say so rather than "10.0s/8s".
    boolean draining = seconds > 0 && elapsed > seconds;
    String line = String.format("%s%5.1fs/%.0fs  %,d requests  %,d errors  %,.1f req/s  p99 %.1f ms%s",
        label, draining ? seconds : elapsed, seconds, recording.requests(), recording.failed(),
        elapsed > 0 ? recording.requests() / elapsed : 0, recording.p99SoFarMs(),
        draining ? "  (waiting for the requests in flight)" : "");
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the live line so what follows starts on a fresh one. */
  void done() {
    if (out != null && terminal && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      out.flush();
    }
  }
}
