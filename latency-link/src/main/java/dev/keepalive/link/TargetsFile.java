package dev.keepalive.link;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --targets-file}: a file of {@code host:port} lines, one target each, read again every second. A line
 * that was not there before becomes a target for the connections opened from then on (targets are only added:
 * a replica that goes away is one whose connections fail, as behind kube-proxy until its endpoints update).
 */
final class TargetsFile {
  static final long PERIOD_MILLIS = 1000;

  private final Path file;
  private final RoundRobinTargets targets;
  private final Consumer<String> log;

  TargetsFile(Path file, RoundRobinTargets targets, Consumer<String> log) {
    this.file = file;
    this.targets = targets;
    this.log = log;
  }

  /** The targets the file names now; a line that is not host:port is reported, not fatal. */
  static List<HostPort> read(Path file, Consumer<String> log) {
    List<HostPort> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      log.accept("link: cannot read --targets-file " + file + ": " + e.getMessage());
      return out;
    }
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      try {
        out.add(HostPort.parse(t, null));
      } catch (IllegalArgumentException e) {
        log.accept("link: --targets-file " + file + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** Reads the file now and then every second, on {@code vertx}'s timer; returns the timer id. */
  long watch(Vertx vertx) {
    check();
    return vertx.setPeriodic(PERIOD_MILLIS, id -> vertx.executeBlocking(() -> {
      check();
      return null;
    }));
  }

  void check() {
    for (HostPort t : read(file, log)) {
      if (targets.add(t)) {
        log.accept("link: target added from " + file + ": " + t + "; now " + targets.describe());
      }
    }
  }
}
