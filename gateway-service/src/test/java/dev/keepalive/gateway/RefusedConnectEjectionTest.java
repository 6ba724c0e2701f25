package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.endpoint.DefaultInteractionMetrics;
import io.vertx.core.net.endpoint.InteractionMetrics;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.core.net.endpoint.ServerEndpoint;
import io.vertx.core.net.endpoint.ServerInteraction;
import io.vertx.core.net.endpoint.ServerSelector;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The choices the balancer wrapper makes over three replicas, as Vert.x asks for them (select() per call, select(key)
 * for the retry after a refused connect): a replica that refused is skipped by calls for a moment and by retries
 * until it answers; with every replica refusing, the balancer's own pick. ReplicasTest and ReplicaBalancersTest show
 * the failover on real replicas; this pins the choices themselves.
 */
class RefusedConnectEjectionTest {

  /** A replica as the balancer sees it: its metrics; nothing else is read. */
  private record Replica(InteractionMetrics<?> metrics) implements ServerEndpoint {
    @Override public String key() { return null; }
    @Override public SocketAddress address() { return null; }
    @Override public String protocolId() { return null; }
    @Override public ServerInteraction newInteraction() { return null; }
    @Override public Object unwrap() { return null; }

    RefusedConnectEjection.Refusals refusals() {
      return ((RefusedConnectEjection.Tracked) metrics).refusals();
    }
  }

  private final RefusedConnectEjection ejection = new RefusedConnectEjection(LoadBalancer.ROUND_ROBIN);
  private final List<Replica> replicas = IntStream.range(0, 3).mapToObj(i -> new Replica(ejection.newMetrics())).toList();
  private final ServerSelector selector = ejection.selector(replicas);

  private int[] picks(int n, String key) {
    int[] counts = new int[replicas.size()];
    for (int i = 0; i < n; i++) {
      counts[key == null ? selector.select() : selector.select(key)]++;
    }
    return counts;
  }

  @Test
  void roundRobinKeepsItsMetricsFreePathAndTheOthersGetVertxsMetricsToo() {
    assertThat(ejection.newMetrics()).isInstanceOf(RefusedConnectEjection.ConnectOutcomes.class);
    assertThat(new RefusedConnectEjection(LoadBalancer.LEAST_REQUESTS).newMetrics())
        .isInstanceOf(RefusedConnectEjection.CountingOutcomes.class);
  }

  @Test
  void withoutRefusalsTheBalancerDecides() {
    assertThat(picks(300, null)).containsExactly(100, 100, 100);
    assertThat(picks(300, RefusedConnectEjection.FAILOVER)).containsExactly(100, 100, 100);
  }

  @Test
  void aReplicaThatRefusedIsSkippedAndItsShareSpreadOverTheOthers() {
    replicas.get(0).refusals().failed(new ConnectException("Connection refused"));
    int[] calls = picks(300, null);
    assertThat(calls[0]).isZero();
    // The skipped replica's 100 calls go to the others at random: about 150 each, never all to one.
    assertThat(calls[1]).isBetween(110, 190);
    assertThat(calls[2]).isEqualTo(300 - calls[1]);
    int[] retries = picks(300, RefusedConnectEjection.FAILOVER);
    assertThat(retries[0]).isZero();
    assertThat(retries[1]).isBetween(110, 190);
  }

  @Test
  void aRetryAvoidsAReplicaUntilItAnswersWhileCallsTryItAgainAfterAMoment() {
    Replica refusing = replicas.get(1);
    refusing.refusals().failed(new ConnectException("Connection refused"));
    // Calls try it again once SKIP_NANOS (100 ms) has passed ...
    Stack.await("a call to try the refusing replica again", Duration.ofSeconds(10), () -> picks(3, null)[1] > 0);
    // ... retries do not, until it answers.
    assertThat(picks(300, RefusedConnectEjection.FAILOVER)[1]).isZero();
    refusing.refusals().answered();
    assertThat(picks(300, RefusedConnectEjection.FAILOVER)).containsExactly(100, 100, 100);
  }

  /** As Vert.x reports a refused connect: to the chosen replica's metrics, before the call's own failure. */
  private static <M> void refused(InteractionMetrics<M> metrics) {
    metrics.reportFailure(metrics.initiateRequest(), new ConnectException("Connection refused"));
  }

  /** As Vert.x reports a call the replica answered: its request, then the beginning and end of its response. */
  private static <M> void answered(InteractionMetrics<M> metrics) {
    M call = metrics.initiateRequest();
    metrics.reportRequestBegin(call);
    metrics.reportRequestEnd(call);
    metrics.reportResponseBegin(call);
    metrics.reportResponseEnd(call);
  }

  private static int[] failoverPicks(ServerSelector chooser) {
    int[] counts = new int[3];
    for (int i = 0; i < 300; i++) {
      counts[chooser.select(RefusedConnectEjection.FAILOVER)]++;
    }
    return counts;
  }

  @ParameterizedTest
  @EnumSource(value = LoadBalancing.class, names = {"ROUND_ROBIN", "LEAST_REQUESTS"})
  void anAnswerReportedByVertxPutsAReplicaBackInTheRetriesRotation(LoadBalancing balancer) {
    RefusedConnectEjection ejection = new RefusedConnectEjection(balancer.vertx());
    List<Replica> three = IntStream.range(0, 3).mapToObj(i -> new Replica(ejection.newMetrics())).toList();
    ServerSelector chooser = ejection.selector(three);
    // Replica 0: least-requests, with no call in flight anywhere, picks the first replica.
    refused(three.get(0).metrics());
    assertThat(failoverPicks(chooser)[0]).as("retries to the refusing replica (%s)", balancer).isZero();
    answered(three.get(0).metrics());
    assertThat(failoverPicks(chooser)[0]).as("retries to the replica that answered since (%s)", balancer).isPositive();
  }

  /** Least-requests and power-of-two-choices pick by calls in flight: a failed connect must not stay counted as one. */
  @Test
  void aRefusedConnectLeavesNoCallInFlightForTheBalancersThatCountThem() {
    DefaultInteractionMetrics metrics = (DefaultInteractionMetrics) new RefusedConnectEjection(LoadBalancer.LEAST_REQUESTS)
        .newMetrics();
    refused(metrics);
    answered(metrics);
    assertThat(metrics.numberOfFailures()).isEqualTo(1);
    assertThat(metrics.numberOfRequests()).isEqualTo(2);
    assertThat(metrics.numberOfInflightRequests()).as("both calls are over").isZero();
  }

  @Test
  void withEveryReplicaRefusingTheBalancersPickStands() {
    replicas.forEach(r -> r.refusals().failed(new ConnectException("Connection refused")));
    assertThat(picks(300, null)).containsExactly(100, 100, 100);
    assertThat(picks(300, RefusedConnectEjection.FAILOVER)).containsExactly(100, 100, 100);
  }
}
