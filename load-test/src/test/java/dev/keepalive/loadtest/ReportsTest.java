package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files {@code --json} and {@code --html} write: the whole result as JSON, and the HTML page with the same JSON
 * inside it, into folders that need not exist yet, and how the commands name them. (HtmlReportChromiumTest draws
 * the page in a browser.)
 */
class ReportsTest {
  @TempDir
  Path dir;

  private static RunResult run(String name) {
    Histogram h = new Histogram(60_000_000L, 3);
    h.recordValueWithCount(1000, 10);
    return new RunResult(name, new Target("127.0.0.1", 8080, ""), new LoadPlan(0, 4, 4, Duration.ofSeconds(2),
        Duration.ZERO, 100, Duration.ofSeconds(10)), 2.0, 10, 0, Map.of(), h, List.of(), null, List.of(), null);
  }

  private static JsonObject result(JsonObject extra) {
    List<RunResult> runs = List.of(run("off"), run("pool10"));
    return Reports.json("compare </script> p99 < 5 ms & more", "two runs", runs, new ResultTable(runs, null), extra);
  }

  @Test
  void theJsonHoldsWhatWasAskedEveryRunAndTheTableAsPrinted() {
    List<RunResult> runs = List.of(run("off"), run("pool10"));
    ResultTable table = new ResultTable(runs, null);
    JsonObject j = Reports.json("title", "description", runs, table, null);
    assertThat(j.fieldNames()).containsExactlyInAnyOrder("title", "description", "generated", "columns", "rows", "runs");
    assertThat(j.getString("title")).isEqualTo("title");
    assertThat(j.getString("description")).isEqualTo("description");
    assertThat(j.getString("generated")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d)?(Z|[+-]\\d\\d:\\d\\d)");
    assertThat(j.getJsonArray("columns")).isEqualTo(new JsonArray(ResultTable.COLUMNS));
    assertThat(j.getJsonArray("rows")).isEqualTo(table.rowsJson());
    assertThat(j.getJsonArray("runs")).isEqualTo(new JsonArray().add(runs.get(0).toJson()).add(runs.get(1).toJson()));
    // A command's own figures (scale-out's ways, the overload levels) are merged in.
    JsonObject extended = Reports.json("title", "description", runs, table, new JsonObject().put("ways", new JsonArray()));
    assertThat(extended.getJsonArray("ways")).isEmpty();
    assertThat(extended.getJsonArray("runs")).hasSize(2);
  }

  @Test
  void theJsonFileIsTheResultPrettyPrintedInAFolderItCreates() throws IOException {
    JsonObject result = result(null);
    Path file = dir.resolve("not/yet/result.json");
    Reports.writeJson(file, result);
    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(result.encodePrettily() + "\n");
    assertThat(new JsonObject(written)).isEqualTo(result);
  }

  @Test
  void theHtmlPageCarriesTheResultAndItsTitleEscaped() throws IOException {
    JsonObject result = result(null);
    Path file = dir.resolve("html/report.html");
    Reports.writeHtml(file, result);
    String page = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(page).contains("<title>compare &lt;/script&gt; p99 &lt; 5 ms &amp; more</title>")
        .doesNotContain("__TITLE__", "__DATA__");
    // The data element ends at the first "</": the title's "</script>" is written "<\/script>", the same JSON string.
    Matcher data = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
        Pattern.DOTALL).matcher(page);
    assertThat(data.find()).isTrue();
    assertThat(new JsonObject(data.group(1))).isEqualTo(result);
  }

  @Test
  void aFileThatCannotBeWrittenIsNamed() throws IOException {
    Path blocker = Files.writeString(dir.resolve("a-file"), "");
    Path file = blocker.resolve("result.json");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reports.writeJson(file, result(null)))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("cannot write " + file);
  }

  private static final Path HERE = Path.of("/home/someone/keepalive-lab");

  @Test
  void aReportBelowTheWorkingDirectoryIsShownRelativeToIt() {
    assertThat(Reports.shown(Path.of("/home/someone/keepalive-lab/reports/demo.html"), HERE))
        .isEqualTo(Path.of("reports/demo.html"));
    assertThat(Reports.shown(Path.of("/home/someone/keepalive-lab/./reports/../demo.json"), HERE))
        .isEqualTo(Path.of("demo.json"));
  }

  @Test
  void aReportElsewhereIsShownInFull() {
    assertThat(Reports.shown(Path.of("/tmp/demo.html"), HERE)).isEqualTo(Path.of("/tmp/demo.html"));
    assertThat(Reports.shown(Path.of("/home/someone/keepalive-lab-2/demo.html"), HERE))
        .as("a sibling whose name starts the same").isEqualTo(Path.of("/home/someone/keepalive-lab-2/demo.html"));
  }

  @Test
  void aRelativePathIsReadFromTheProcesssWorkingDirectory() {
    assertThat(Reports.shown(Path.of("reports/x.json"))).isEqualTo(Path.of("reports/x.json"));
  }
}
