package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What keeps the compose stack, its build and its documentation true without a Docker engine or Grafana: the
 * files they name exist, the variables compose reads are documented, the builds cache their dependencies and
 * keep secrets out, and Grafana runs no migration on the dashboard.
 */
class RepositoryFilesTest {
  private static final Pattern DOCS_PAGE = Pattern.compile("(?<![\\w/.-])(docs/[\\w.-]+\\.md)");
  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
  private static final Pattern COMPOSE_VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Z][A-Z0-9_]*)(?::?-[^}]*)?}");

  @Test
  void everyDashboardPanelNamesThePluginVersionOfComposesGrafana() {
    String image = String.valueOf(ComposeFile.load().service("grafana").get("image"));
    String version = image.substring(image.lastIndexOf(':') + 1);
    Map<String, Object> dashboard = Repo.yamlFile("grafana/dashboards/keepalive.json");
    List<String> missing = new ArrayList<>();
    for (Object p : Repo.list(dashboard.get("panels"))) {
      Map<String, Object> panel = Repo.map(p);
      // Without it Grafana runs every migration since its 7.x schema on the panel (a stat panel's sparkline
      // was pinned to 0-100 % by one of them).
      if (!version.equals(panel.get("pluginVersion"))) {
        missing.add(panel.get("title") + " (" + panel.get("pluginVersion") + ")");
      }
    }
    assertThat(missing).as("panels without pluginVersion %s", version).isEmpty();
  }

  @Test
  void everyFileAndDocsPageTheDocsAndCommentsNameExists() {
    List<String> broken = new ArrayList<>();
    for (String source : documentedFiles()) {
      String text = Repo.read(source);
      Matcher page = DOCS_PAGE.matcher(text);
      while (page.find()) {
        check(source, page.group(1), broken);
      }
      if (source.endsWith(".md")) {
        Matcher link = MARKDOWN_LINK.matcher(text);
        while (link.find()) {
          String target = link.group(1);
          if (target.contains("://") || target.startsWith("mailto:")) continue;
          Path resolved = Path.of(source).resolveSibling(target).normalize();
          check(source, resolved.toString().replace('\\', '/'), broken);
        }
      }
    }
    assertThat(broken).as("files named but missing").isEmpty();
  }

  @Test
  void everyVariableTheComposeFileReadsIsInTheDocsTable() {
    Set<String> read = new TreeSet<>();
    String compose = String.join("\n", Repo.read("docker-compose.yml").lines().filter(l -> !l.trim().startsWith("#")).toList());
    Matcher m = COMPOSE_VARIABLE.matcher(compose);
    while (m.find()) {
      read.add(m.group(1));
    }
    assertThat(read).contains("PROMETHEUS_RETENTION", "GRAFANA_ADMIN_PASSWORD", "LOAD_RATE");
    String table = String.join("\n", Repo.read("docs/compose.md").lines().filter(l -> l.startsWith("|")).toList());
    assertThat(read).as("variables docker-compose.yml reads, each in a table row of docs/compose.md")
        .allSatisfy(v -> assertThat(table).contains("`" + v + "`"));
  }

  @Test
  void dockerfilesCopyThePomsBeforeTheSourcesAndCacheMavenDownloads() {
    for (String dockerfile : List.of("upstream-service/Dockerfile", "gateway-service/Dockerfile", "load-test/Dockerfile")) {
      List<String> lines = Repo.read(dockerfile).lines().toList();
      int lastPom = -1;
      int firstSource = Integer.MAX_VALUE;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (line.startsWith("COPY") && !line.contains("--from")) {
          assertThat(line).as("%s copies named parts, not the whole context", dockerfile).doesNotMatch("COPY \\.\\s.*");
          if (line.contains("pom.xml")) lastPom = i;
          if (line.contains("/src")) firstSource = Math.min(firstSource, i);
        }
      }
      assertThat(lastPom).as("%s copies poms", dockerfile).isNotNegative();
      assertThat(lastPom).as("%s: every pom before the first source", dockerfile).isLessThan(firstSource);
      // A dependency step between the poms and the sources: source edits do not invalidate it.
      assertThat(lines.subList(lastPom, firstSource)).as(dockerfile).anyMatch(l -> l.contains("dependency:go-offline"));
      assertThat(lines).as("%s: Maven's repository in a BuildKit cache", dockerfile)
          .filteredOn(l -> l.trim().startsWith("RUN") && l.contains("mvn")).allMatch(l -> l.contains("--mount=type=cache,target=/root/.m2"));
    }
  }

  @Test
  void theBuildContextLeavesOutDocsScriptsCiAndSecrets() {
    List<String> ignored = Repo.read(".dockerignore").lines().map(String::trim).toList();
    assertThat(ignored).contains("**/target/", ".git", "*.md", "docs/", "scripts/", ".ci/", ".env");
  }

  /** Everything a reader or a build reads names of other files in. */
  private static List<String> documentedFiles() {
    List<String> files = new ArrayList<>(List.of("README.md", "docker-compose.yml", "prometheus/prometheus.yml",
        "grafana/provisioning/dashboards/keepalive.yml", "grafana/provisioning/datasources/prometheus.yml",
        "upstream-service/Dockerfile", "gateway-service/Dockerfile", "load-test/Dockerfile", ".dockerignore",
        "scripts/test", "scripts/bench", ".ci/run"));
    try (Stream<Path> docs = Files.list(Repo.path("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(p -> files.add("docs/" + p.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static void check(String source, String named, List<String> broken) {
    if (!Files.exists(Repo.path(named))) {
      broken.add(source + " names " + named);
    }
  }
}
