package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the commands say they wrote a report: as the user would type it. */
class ReportsTest {
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
