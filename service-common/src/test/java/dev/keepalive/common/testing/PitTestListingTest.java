package dev.keepalive.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * PitTestListing must never hide a test outside a PIT mutation worker's listing: a test it skipped by mistake would
 * pass without running, in every module, whenever the extension is turned on.
 */
class PitTestListingTest {

  @Test
  void outsideAMutationWorkerTheExtensionIsOnButEverySetUpAndTestStillRuns() {
    Sample.ran.clear();
    TestExecutionSummary summary = launchWithExtensionsAutodetected(Sample.class);

    assertThat(summary.getTestsStartedCount()).isEqualTo(2);
    assertThat(summary.getTestsFailedCount()).as("the failing sample fails").isEqualTo(1);
    assertThat(Sample.ran).containsExactlyInAnyOrder("set-up", "passes", "set-up", "fails");
    assertThat(PitTestListing.listingInAMutationWorker()).isFalse();
  }

  private static TestExecutionSummary launchWithExtensionsAutodetected(Class<?> testClass) {
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testClass))
        // what the mutation profile sets in PIT's workers
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .build(), summary);
    return summary.getSummary();
  }

  /** Launched only by the test above (a nested class: neither Surefire nor PIT picks it up). */
  static class Sample {
    static final List<String> ran = new ArrayList<>();

    @BeforeEach
    void setUp() {
      ran.add("set-up");
    }

    @Test
    void passes() {
      ran.add("passes");
    }

    @Test
    void fails() {
      ran.add("fails");
      fail("a failing test must fail");
    }
  }
}
