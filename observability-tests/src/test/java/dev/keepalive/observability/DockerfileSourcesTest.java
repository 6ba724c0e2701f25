package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service's image builds with Maven from the repository root ({@code mvn package -DskipTests -pl <module> -am}),
 * so its build stage needs every module's pom (the root pom lists them all, and Maven refuses a missing one) and the
 * sources of the module and of each module it depends on, at any scope ({@code -DskipTests} still compiles tests).
 * No Docker engine here, so this reads the Dockerfiles; when latency-link became a module, none of them copied it.
 */
class DockerfileSourcesTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern COPY = Pattern.compile("(?m)^COPY (?!--from)(.+) \\S+$");
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

  private static List<String> modules() {
    return MODULE.matcher(Repo.read("pom.xml")).results().map(m -> m.group(1)).toList();
  }

  /** The sibling modules a module's own dependencies name, and theirs. */
  private static Set<String> withReactorDependencies(String module, List<String> modules) {
    Set<String> found = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(module));
    while (!todo.isEmpty()) {
      String m = todo.pop();
      if (!found.add(m)) {
        continue;
      }
      String pom = Repo.read(m + "/pom.xml");
      String dependencies = pom.substring(pom.indexOf("<dependencies>"), pom.lastIndexOf("</dependencies>"));
      Matcher a = ARTIFACT.matcher(dependencies);
      while (a.find()) {
        if (modules.contains(a.group(1))) {
          todo.push(a.group(1));
        }
      }
    }
    return found;
  }

  @ParameterizedTest
  @ValueSource(strings = {"upstream-service", "gateway-service", "load-test"})
  void theBuildStageCopiesEveryModulesPomAndTheSourcesTheBuildCompiles(String module) {
    String dockerfile = module + "/Dockerfile";
    Set<String> copied = new LinkedHashSet<>();
    COPY.matcher(Repo.read(dockerfile)).results().forEach(c -> copied.addAll(List.of(c.group(1).trim().split("\\s+"))));
    List<String> modules = modules();
    assertThat(modules).contains("latency-link", module);
    for (String m : modules) {
      assertThat(copied).as("%s copies %s/pom.xml", dockerfile, m).contains(m + "/pom.xml");
    }
    Set<String> compiled = withReactorDependencies(module, modules);
    for (String m : compiled) {
      assertThat(copied).as("%s copies %s/src (compiled for %s)", dockerfile, m, module).contains(m + "/src");
    }
    System.out.printf("%s: every module's pom, and the sources of %s%n", dockerfile, compiled);
  }
}
