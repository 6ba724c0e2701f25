package dev.keepalive.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Clients that hold a server's connections without finishing a request, for the tests of --headers-timeout of
 * both services: raw half-requests, and Debian's slowhttptest (a tool this project did not write) in slowloris mode.
 */
public final class SlowClients {
  private SlowClients() {}

  /** A request line and one header, no blank line: never complete. */
  public static String halfRequest(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  }

  /**
   * Opens {@code count} connections that each send half a request, runs {@code meanwhile} (a normal request must be
   * served while they are held), then asserts each one is answered 408 (JSON body naming --headers-timeout) and
   * closed, none before {@code headersTimeout}.
   */
  public static void halfRequestsAreAnswered408AndClosed(int port, String path, int count, Duration headersTimeout,
      ThrowingRunnable meanwhile) throws Exception {
    List<RawConnection> slow = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        RawConnection c = new RawConnection(port);
        c.send(halfRequest(path));
        slow.add(c);
      }
      meanwhile.run();
      for (RawConnection c : slow) {
        String answer = c.readUntilClosed(headersTimeout.plusSeconds(20));
        long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.openedNanos);
        assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close")
            .contains("\"status\":408").contains("--headers-timeout");
        assertThat(heldMs).as("held at least the headers timeout").isGreaterThanOrEqualTo(headersTimeout.toMillis() - 20);
      }
    } finally {
      for (RawConnection c : slow) c.close();
    }
  }

  /**
   * Debian's slowhttptest in slowloris mode: {@code connections} connections sending a header line a second and
   * never finishing, for up to 30 s, probing {@code url} every second. Asserts the tool ends with "No open
   * connections left" (the server closed every one) and its probe got 200 every second.
   * @param headersTimeout the server's, well below the tool's 30 s
   */
  public static void slowlorisIsClosedAndTheServerStaysAvailable(String url, int connections, Path dir)
      throws Exception {
    Process p = new ProcessBuilder("slowhttptest", "-H", "-c", String.valueOf(connections), "-r",
        String.valueOf(connections), "-i", "1", "-l", "30", "-p", "10", "-g", "-o", dir.resolve("slow").toString(),
        "-u", url)
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("slowhttptest finished").isTrue();
    String out = Files.readString(dir.resolve("out.txt")).replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
    // Seconds,Closed,Pending,Connected,Service Available (the probe's HTTP status; 0 when it got no answer in time)
    List<String> rows = Files.readAllLines(dir.resolve("slow.csv"));
    System.out.println("slowhttptest:\n" + String.join("\n", rows));
    assertThat(out).as(out).contains("number of connections:            " + connections)
        .contains("Exit status: No open connections left");
    assertThat(rows.subList(1, rows.size())).as("the probe answered 200 every second").allMatch(r -> r.endsWith(",200"));
  }

  /** A step that may throw, e.g. an HTTP request and its assertions. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}
