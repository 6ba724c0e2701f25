package dev.keepalive.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Writes the results as JSON, and as one self-contained HTML page whose inline script draws SVG charts. */
final class Reports {
  private Reports() {}

  /** The whole result: what was asked, every run, and the table as printed. */
  static JsonObject json(String title, String description, List<RunResult> runs, ResultTable table, JsonObject extra) {
    JsonArray runsJson = new JsonArray();
    runs.forEach(r -> runsJson.add(r.toJson()));
    JsonObject out = new JsonObject()
        .put("title", title)
        .put("description", description)
        .put("generated", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("columns", new JsonArray(List.copyOf(ResultTable.COLUMNS)))
        .put("rows", table.rowsJson())
        .put("runs", runsJson);
    return extra == null ? out : out.mergeIn(extra);
  }

  static void writeJson(Path file, JsonObject result) {
    write(file, result.encodePrettily() + "\n");
  }

  static void writeHtml(Path file, JsonObject result) {
    writeHtml(file, result, "report.html");
  }

  /** @param templateName a page beside report.html whose script draws this result's charts */
  static void writeHtml(Path file, JsonObject result, String templateName) {
    String template;
    try (InputStream in = Reports.class.getResourceAsStream(templateName)) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Inside <script>, "</" could end the element early; "<\/" is the same JSON string.
    String data = result.encode().replace("</", "<\\/");
    write(file, template.replace("__TITLE__", escape(result.getString("title"))).replace("__DATA__", data));
  }

  /** Where a report was written, as a user types it: relative to the working directory when below it. */
  static Path shown(Path file, Path workingDirectory) {
    Path absolute = file.toAbsolutePath().normalize();
    Path here = workingDirectory.toAbsolutePath().normalize();
    return absolute.startsWith(here) && !absolute.equals(here) ? here.relativize(absolute) : absolute;
  }

  static Path shown(Path file) {
    return shown(file, Path.of(""));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void write(Path file, String content) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
