package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report opened in headless Chromium, offline: its script draws every chart with data points. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HtmlReportChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  Path dir;

  @Test
  void theReportsChartsRenderWithDataInHeadlessChromium() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium is needed (scripts/test installs it)").isExecutable();
    Path html = dir.resolve("report.html");
    Cli cli = Cli.run("compare", "--configs", "off,pool2", "--concurrency", "2", "--duration", "2s", "--calls", "4",
        "--delay", "1ms", "--jit-warmup", "0", "--json", dir.resolve("report.json").toString(), "--html", html.toString());
    assertThat(cli.exit()).as(cli.err()).isZero();
    // Nothing to fetch: no linked stylesheet, script or image.
    assertThat(Files.readString(html)).contains("<svg").doesNotContain("<link").doesNotContainPattern("(src|href)\\s*=");

    String dom = dumpDom(html);

    assertThat(dom).contains("data-rendered=\"true\"");
    for (String chart : List.of("latency-over-time", "latency-distribution", "connections-vs-requests")) {
      String svg = element(dom, chart);
      assertThat(count(svg, "class=\"series\"")).as(chart + " series").isEqualTo(2);
      assertThat(count(svg, "class=\"point\"")).as(chart + " points").isGreaterThanOrEqualTo(4);
      assertThat(svg).contains("data-series=\"keep-alive off (≤10 conns)\"", "data-series=\"keep-alive, 2 conns\"");
    }
    assertThat(element(dom, "connections-vs-requests")).doesNotContain("no data");
    assertThat(dom).contains("<table id=\"summary-table\">").contains("handshakes/req");
  }

  private Path dumpDomFile;

  private String dumpDom(Path html) throws Exception {
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    dumpDomFile = dir.resolve("dom.html");
    // Chromium's own network traffic is switched off: this machine's closed network refuses it.
    Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
        html.toUri().toString())
        .redirectOutput(dumpDomFile.toFile())
        .redirectError(dir.resolve("chromium.log").toFile())
        .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s");
    }
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
    return Files.readString(dumpDomFile, StandardCharsets.UTF_8);
  }

  /** The markup of the svg element with this id. */
  private static String element(String dom, String id) {
    Matcher m = Pattern.compile("<svg id=\"" + id + "\".*?</svg>", Pattern.DOTALL).matcher(dom);
    assertThat(m.find()).as("svg#" + id + " in the rendered DOM").isTrue();
    return m.group();
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
