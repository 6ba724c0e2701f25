package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The repository under test, and the external tools (promtool, docker-compose) the checks run. */
final class Repo {
  private Repo() {}

  static final Path ROOT = root();

  private static Path root() {
    Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    if (!Files.exists(root.resolve("docker-compose.yml"))) {
      throw new IllegalStateException("no docker-compose.yml under " + root + " (set -Drepo.root)");
    }
    return root;
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> yaml(String text) {
    return new Yaml(new LoaderOptions()).load(text);
  }

  static Map<String, Object> yamlFile(String relative) {
    return yaml(read(relative));
  }

  record Result(int exit, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  /** Runs a tool in the repository root; a missing tool fails with what to install. */
  static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    String tool = command.get(0);
    assertThat(onPath(tool))
        .as("%s is not installed: scripts/test installs it (Debian package %s)", tool,
            tool.equals("docker-compose") ? "docker-compose" : "prometheus")
        .isTrue();
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = slurp(p.getInputStream());
      CompletableFuture<String> err = slurp(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Result run(String... command) {
    return run(List.of(command), Map.of(), Duration.ofSeconds(60));
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static CompletableFuture<String> slurp(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    for (Object e : list(o)) {
      out.add(String.valueOf(e));
    }
    return out;
  }
}
