package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each way a fan-out ends teaches the adaptive admission, on the AIMD algorithm (halves on a drop, grows by one
 * on a success sampled while at least half the limit was in flight): a missed deadline cuts the limit, a success at
 * the limit raises it, an ignored end changes nothing; each gives its place back. OverloadTest shows the shedding
 * (503, Retry-After) on a running gateway.
 */
class AdaptiveAdmissionTest {
  private static AdaptiveAdmission aimd(int initial) {
    return new AdaptiveAdmission(new AdmissionSettings(AdmissionSettings.Mode.ADAPTIVE, AdmissionSettings.Algorithm.AIMD,
        initial), 64, Duration.ofSeconds(40));
  }

  @Test
  void aMissedDeadlineHalvesTheLimitAndGivesThePlaceBack() {
    AdaptiveAdmission admission = aimd(8);
    FanOutAdmission.Permit permit = admission.tryAdmit();
    assertThat(admission.inFlight()).isEqualTo(1);
    permit.missedDeadline();
    assertThat(admission.limit()).isEqualTo(4);
    assertThat(admission.inFlight()).isZero();
  }

  @Test
  void anIgnoredEndChangesNothingButGivesThePlaceBack() {
    AdaptiveAdmission admission = aimd(8);
    admission.tryAdmit().ignored();
    assertThat(admission.limit()).isEqualTo(8);
    assertThat(admission.inFlight()).isZero();
  }

  @Test
  void atTheLimitFanOutsAreShedAndASuccessThereRaisesIt() {
    AdaptiveAdmission admission = aimd(4);
    List<FanOutAdmission.Permit> admitted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      admitted.add(admission.tryAdmit());
    }
    assertThat(admitted).doesNotContainNull();
    assertThat(admission.tryAdmit()).as("a fifth at a limit of 4").isNull();
    assertThat(admission.inFlight()).isEqualTo(4);
    admitted.get(3).succeeded(); // sampled with 4 in flight
    assertThat(admission.limit()).isEqualTo(5);
    assertThat(admission.inFlight()).isEqualTo(3);
  }

  @Test
  void theInitialLimitIsCappedByTheCeiling() {
    AdaptiveAdmission admission = new AdaptiveAdmission(AdmissionSettings.defaults(), 3, Duration.ofSeconds(5));
    assertThat(admission.limit()).isEqualTo(3);
  }
}
