package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * One replica's refused connects, as the balancer reads them (RefusedConnectEjection): a refusal puts the replica
 * aside for a short while and until it answers again; a connect timeout does not, since a slow replica (or a busy
 * machine) is not a dead one. The loopback tests (ReplicasTest) show the failover itself.
 */
class RefusalsTest {

  @Test
  void onlyARefusedConnectIsARefusalWhereverItSitsInTheCauses() {
    assertThat(RefusedConnectEjection.Refusals.isRefusal(new ConnectException("Connection refused"))).isTrue();
    assertThat(RefusedConnectEjection.Refusals.isRefusal(
        new VertxException("wrapped", new ConnectException("Connection refused")))).isTrue();
    // Netty's connect timeout is a ConnectException too: it must not count.
    assertThat(RefusedConnectEjection.Refusals.isRefusal(new ConnectTimeoutException("timed out"))).isFalse();
    assertThat(RefusedConnectEjection.Refusals.isRefusal(
        new VertxException("wrapped", new ConnectTimeoutException("timed out")))).isFalse();
    assertThat(RefusedConnectEjection.Refusals.isRefusal(new TimeoutException("no answer"))).isFalse();
    assertThat(RefusedConnectEjection.Refusals.isRefusal(null)).isFalse();
  }

  @Test
  void aRefusalSetsTheReplicaAsideUntilItAnswers() {
    RefusedConnectEjection.Refusals refusals = new RefusedConnectEjection.Refusals();
    assertThat(refusals.skipped()).as("never refused").isFalse();
    refusals.failed(new ConnectTimeoutException("timed out"));
    assertThat(refusals.skipped()).as("a timeout").isFalse();
    refusals.failed(new ConnectException("Connection refused"));
    assertThat(refusals.skipped()).as("just refused").isTrue();
    refusals.answered();
    assertThat(refusals.skipped()).as("answered since").isFalse();
  }

  @Test
  void aRefusalIsForgottenAfterAWhileEvenWithoutAnAnswer() {
    RefusedConnectEjection.Refusals refusals = new RefusedConnectEjection.Refusals();
    refusals.failed(new ConnectException("Connection refused"));
    assertThat(refusals.skipped()).isTrue();
    Stack.await("the refusal to be forgotten", Duration.ofSeconds(10), () -> !refusals.skipped());
  }
}
