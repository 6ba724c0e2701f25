package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The upstream as users run it, in its own JVM: SIGTERM closes its connections and it exits. */
class UpstreamShutdownTest {
  private static final Pattern LISTENING = Pattern.compile("upstream listening on http://[^:]+:(\\d+)");

  @Test
  void sigtermClosesOpenConnectionsAndExits() throws Exception {
    Path log = Files.createTempFile("upstream", ".log");
    log.toFile().deleteOnExit();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), UpstreamMain.class.getName(),
        "--host", "127.0.0.1", "--port", "0", "--instances", "1", "--idle-timeout", "0"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      int port = awaitPort(process, log);
      try (Socket idle = new Socket("127.0.0.1", port)) {
        // One answered request: the connection is open, idle and kept (--idle-timeout 0 never closes it).
        OutputStream out = idle.getOutputStream();
        out.write("GET /item/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = idle.getInputStream();
        String head = new String(in.readNBytes(15), StandardCharsets.US_ASCII);
        assertThat(head).isEqualTo("HTTP/1.1 200 OK");
        idle.setSoTimeout(20_000);

        process.destroy(); // SIGTERM

        // The server closed the idle connection: the rest of the answer, then end of stream.
        byte[] rest = in.readAllBytes();
        assertThat(new String(rest, StandardCharsets.US_ASCII)).contains("\"id\":\"1\"");
      }
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
      // 128 + 15: the JVM's answer to SIGTERM once its shutdown hook has run.
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(refuses(port)).as("port " + port + " refuses connections").isTrue();
      assertThat(Files.readString(log)).doesNotContain("Exception").doesNotContain("\tat ");
    } finally {
      process.destroyForcibly();
    }
  }

  static int awaitPort(Process process, Path log) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end && process.isAlive()) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(50); // polling the log for the line that says the port
    }
    throw new AssertionError("upstream did not start:\n" + Files.readString(log));
  }

  static boolean refuses(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return true;
    }
  }
}
