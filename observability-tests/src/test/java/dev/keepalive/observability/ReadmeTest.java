package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README is the entry page: short, with exactly the two commands a newcomer runs, and both true. */
class ReadmeTest {
  private static final Pattern FENCE = Pattern.compile("```(?:sh|console)?\\n(.*?)```", Pattern.DOTALL);

  @Test
  void isAnEntryPageOfAtMost15KiB() {
    assertThat(Repo.read("README.md").getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(15 * 1024);
  }

  @Test
  void theTwoCommandsSectionHasExactlyTheTwoCommands() {
    assertThat(twoCommands()).containsExactly(
        "mvn -B -q package -DskipTests && java -jar load-test/target/load-test.jar demo", "scripts/test");
    // CI runs the second one, on a clean clone.
    assertThat(Repo.read(".ci/run")).contains("exec scripts/test");
    assertThat(Files.isExecutable(Repo.path("scripts/test"))).isTrue();
    assertThat(Repo.read("scripts/test")).contains("exec mvn -B verify");
  }

  /**
   * Runs the first command's demo with the jar this build made (the mvn half is this build), shortened: the
   * same command line and a table with the same columns.
   */
  @Test
  void theDemoCommandRunsAndPrintsItsTable() {
    assumeTrue(Files.exists(Repo.path("load-test/target/load-test.jar")),
        "load-test.jar is built by the full reactor (mvn -B verify), not by -pl observability-tests");
    String demo = twoCommands().get(0).split("&&")[1].trim();
    List<String> command = new ArrayList<>(List.of(demo.split("\\s+")));
    command.addAll(List.of("--configs", "off,pool10", "--duration", "1s", "--jit-warmup", "0",
        "--json", "target/readme-demo.json", "--html", "target/readme-demo.html"));
    Repo.Result r = Repo.run(command, Map.of(), Duration.ofMinutes(2));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("configuration", "req/s", "conns opened", "handshakes/req", "keep-alive off",
        "keep-alive, 10 conns");
  }

  private static List<String> twoCommands() {
    String readme = Repo.read("README.md");
    int start = readme.indexOf("\n## Two commands");
    assertThat(start).as("README has a '## Two commands' section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> commands = new ArrayList<>();
    Matcher m = FENCE.matcher(section);
    while (m.find()) {
      commands.add(m.group(1).trim());
    }
    return commands;
  }
}
