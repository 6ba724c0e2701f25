package dev.keepalive.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway as users run it: its own JVM, started from the command line, stopped by a signal. */
final class GatewayProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("gateway listening on http://[^:]+:(\\d+)");

  final Process process;
  private final Path log;

  private GatewayProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static GatewayProcess start(List<String> jvmOptions, String... flags) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(GatewayMain.class.getName());
    command.addAll(List.of(flags));
    try {
      Path log = Files.createTempFile("gateway", ".log");
      log.toFile().deleteOnExit();
      GatewayProcess p = new GatewayProcess(
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
      Stack.await("the gateway process to listen", Duration.ofSeconds(30), () -> p.port() > 0 || !p.process.isAlive());
      if (p.port() == 0) throw new AssertionError("gateway did not start:\n" + p.output());
      return p;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  int port() {
    Matcher m = LISTENING.matcher(output());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Resident memory of the process, from /proc, in MiB. */
  long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
