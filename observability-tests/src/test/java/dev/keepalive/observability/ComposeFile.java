package dev.keepalive.observability;

import static dev.keepalive.observability.Repo.list;
import static dev.keepalive.observability.Repo.map;
import static dev.keepalive.observability.Repo.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docker-compose.yml as docker-compose itself normalises it ({@code docker-compose config}): variables
 * substituted, anchors merged, ports and volumes in long form, paths absolute.
 */
final class ComposeFile {
  final Map<String, Object> root;

  private ComposeFile(Map<String, Object> root) {
    this.root = root;
  }

  private static ComposeFile defaults;

  /** With no variables set, parsed once per test run: docker-compose takes about a second. */
  static synchronized ComposeFile load() {
    if (defaults == null) {
      defaults = load(Map.of());
    }
    return defaults;
  }

  /** @param env variables as a user would export them before {@code docker compose up} */
  static ComposeFile load(Map<String, String> env) {
    Repo.Result r = Repo.run(List.of("docker-compose", "-f", "docker-compose.yml", "config"), env, Duration.ofSeconds(60));
    assertThat(r.exit()).as("docker-compose config: %s", r.output()).isZero();
    return new ComposeFile(Repo.yaml(r.stdout()));
  }

  Map<String, Object> services() {
    return map(root.get("services"));
  }

  Map<String, Object> service(String name) {
    Object s = services().get(name);
    assertThat(s).as("service %s in docker-compose.yml", name).isNotNull();
    return map(s);
  }

  List<String> command(String service) {
    return strings(service(service).get("command"));
  }

  /** {@code --name=value} or {@code --name value} from a service's command. */
  Optional<String> flag(String service, String name) {
    return flag(command(service), name);
  }

  static Optional<String> flag(List<String> command, String name) {
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg.startsWith(name + "=")) {
        return Optional.of(arg.substring(name.length() + 1));
      }
      if (arg.equals(name) && i + 1 < command.size() && !command.get(i + 1).startsWith("--")) {
        return Optional.of(command.get(i + 1));
      }
    }
    return Optional.empty();
  }

  /** Every {@code --flag} of a command with its value, in order. */
  static Map<String, String> flags(List<String> command) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String arg : command) {
      if (arg.startsWith("--")) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        out.put(name, flag(command, name).orElse(""));
      }
    }
    return out;
  }

  /** Services that build from one of the project's Dockerfiles, by Dockerfile path. */
  Map<String, String> dockerfiles() {
    Map<String, String> out = new LinkedHashMap<>();
    services().forEach((name, s) -> {
      Object build = map(s).get("build");
      if (build != null) {
        out.put(name, String.valueOf(map(build).get("dockerfile")));
      }
    });
    return out;
  }

  List<String> profiles(String service) {
    return strings(service(service).get("profiles"));
  }

  /** Long-running services started by a plain {@code docker compose up}. */
  List<String> defaultServices() {
    List<String> out = new ArrayList<>();
    services().keySet().forEach(name -> {
      if (profiles(name).isEmpty()) {
        out.add(name);
      }
    });
    return out;
  }

  /** Container path a host path (relative to the repository) is mounted at, if it is. */
  Optional<String> mountTarget(String service, String hostRelative) {
    String source = Repo.path(hostRelative).toString();
    for (Object v : list(service(service).get("volumes"))) {
      String[] parts = String.valueOf(v).split(":");
      if (parts.length >= 2 && parts[0].equals(source)) {
        return Optional.of(parts[1]);
      }
    }
    return Optional.empty();
  }

  /** Container ports a service publishes on the host. */
  List<Integer> targetPorts(String service) {
    List<Integer> out = new ArrayList<>();
    for (Object p : list(service(service).get("ports"))) {
      out.add(((Number) map(p).get("target")).intValue());
    }
    return out;
  }

  List<Integer> publishedPorts(String service) {
    List<Integer> out = new ArrayList<>();
    for (Object p : list(service(service).get("ports"))) {
      out.add(Integer.parseInt(String.valueOf(map(p).get("published"))));
    }
    return out;
  }

  /** depends_on as service name to condition. */
  Map<String, String> dependsOn(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    Object d = service(service).get("depends_on");
    if (d != null) {
      map(d).forEach((k, v) -> out.put(k, String.valueOf(map(v).get("condition"))));
    }
    return out;
  }

  Map<String, String> environment(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    Object e = service(service).get("environment");
    if (e != null) {
      map(e).forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }

  /** The URL in a flag: host must be a compose service, port the one it listens on. */
  static URI url(String value) {
    return URI.create(value);
  }
}
