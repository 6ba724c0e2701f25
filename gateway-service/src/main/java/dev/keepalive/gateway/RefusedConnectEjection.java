package dev.keepalive.gateway;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.net.endpoint.DefaultInteractionMetric;
import io.vertx.core.net.endpoint.DefaultInteractionMetrics;
import io.vertx.core.net.endpoint.InteractionMetrics;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.core.net.endpoint.ServerEndpoint;
import io.vertx.core.net.endpoint.ServerSelector;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Wraps a Vert.x balancer so that it skips a replica that refused a connect: a small outlier ejection (Envoy ejects
 * on consecutive connect failures too). Vert.x 5.1.6's balancers have none, so a dead replica kept its share and
 * every call sent to it failed.
 *
 * <ul>
 *   <li>A retry ({@link UpstreamClient} sends a refused call once more, with the routing key {@link #FAILOVER}) never
 *       goes to a replica that refused and has not answered since, unless every replica is in that state.
 *   <li>Other calls skip such a replica for {@link #SKIP_NANOS} after its last refusal. Then the next call that lands
 *       on it tries it again: a replica that is back answers and is in the rotation at once; one still down refuses,
 *       and that call fails over too.
 * </ul>
 *
 * <p>How the replica is known: Vert.x reports a failed connection request to the endpoint's interaction metrics
 * ({@code reportFailure}) before the request's own future fails, so the mark is in place when the retry selects.
 */
final class RefusedConnectEjection implements LoadBalancer {
  /**
   * Short: a returning replica gets calls within this, and a dead one costs one refused connect (and a retry) this
   * often. The retry's own choice does not depend on it.
   */
  static final long SKIP_NANOS = 100_000_000L;

  /** The routing key of a call sent again after a refused connect. */
  static final String FAILOVER = "failover-after-refused-connect";

  private final LoadBalancer balancer;

  RefusedConnectEjection(LoadBalancer balancer) {
    this.balancer = balancer;
  }

  /**
   * Per replica: its refusals, plus Vert.x's default metrics where the balancer reads them (least-requests and
   * power-of-two-choices); round robin keeps its metrics-free path (no per-call allocation or clock reads).
   */
  @Override
  public InteractionMetrics<?> newMetrics() {
    return balancer.newMetrics() instanceof DefaultInteractionMetrics ? new CountingOutcomes() : new ConnectOutcomes();
  }

  @Override
  public ServerSelector selector(List<? extends ServerEndpoint> servers) {
    ServerSelector inner = balancer.selector(servers);
    return new ServerSelector() {
      @Override
      public int select() {
        return avoiding(inner.select(), RefusedConnectEjection::skipped);
      }

      @Override
      public int select(String key) {
        return FAILOVER.equals(key) ? avoiding(inner.select(), RefusedConnectEjection::refusedSinceLastAnswer)
            : inner.select(key);
      }

      /**
       * The balancer's pick, or when it is to be avoided a replica at random among those that are not (a fair
       * share each, where asking a round robin again would give the next one in the list the skipped one's
       * share too); all to be avoided: the pick, whose call then fails as connect_refused.
       */
      private int avoiding(int pick, Predicate<ServerEndpoint> avoid) {
        if (pick < 0 || !avoid.test(servers.get(pick))) {
          return pick;
        }
        List<Integer> others = new ArrayList<>(servers.size());
        for (int i = 0; i < servers.size(); i++) {
          if (!avoid.test(servers.get(i))) {
            others.add(i);
          }
        }
        return others.isEmpty() ? pick : others.get(ThreadLocalRandom.current().nextInt(others.size()));
      }
    };
  }

  private static boolean skipped(ServerEndpoint server) {
    return server.metrics() instanceof Tracked t && t.refusals().skipped();
  }

  private static boolean refusedSinceLastAnswer(ServerEndpoint server) {
    return server.metrics() instanceof Tracked t && t.refusals().refused;
  }

  /** One replica's last refused connect; cleared when it answers. */
  static final class Refusals {
    private volatile long refusedAtNanos;
    private volatile boolean refused;

    void failed(Throwable failure) {
      if (isRefusal(failure)) {
        refusedAtNanos = System.nanoTime();
        refused = true;
      }
    }

    void answered() {
      if (refused) {
        refused = false; // it answers: back in the rotation at once
      }
    }

    /** Read on every call: the clock only once the replica has refused. */
    boolean skipped() {
      return refused && System.nanoTime() - refusedAtNanos < SKIP_NANOS;
    }

    /** Refused, not timed out: a timeout may be a slow replica (or a starved machine), not a dead one. */
    static boolean isRefusal(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof ConnectTimeoutException) {
          return false;
        }
        if (t instanceof ConnectException) {
          return true;
        }
      }
      return false;
    }
  }

  /** Metrics that know their replica's refusals. */
  interface Tracked {
    Refusals refusals();
  }

  /** For round robin: only the refusals. */
  static final class ConnectOutcomes implements InteractionMetrics<Object>, Tracked {
    private final Refusals refusals = new Refusals();

    @Override
    public void reportFailure(Object metric, Throwable failure) {
      refusals.failed(failure);
    }

    @Override
    public void reportResponseBegin(Object metric) {
      refusals.answered();
    }

    @Override
    public Refusals refusals() {
      return refusals;
    }
  }

  /** For the balancers that read Vert.x's default metrics: those, and the refusals. */
  static final class CountingOutcomes extends DefaultInteractionMetrics implements Tracked {
    private final Refusals refusals = new Refusals();

    @Override
    public void reportFailure(DefaultInteractionMetric metric, Throwable failure) {
      super.reportFailure(metric, failure);
      refusals.failed(failure);
    }

    @Override
    public void reportResponseBegin(DefaultInteractionMetric metric) {
      super.reportResponseBegin(metric);
      refusals.answered();
    }

    @Override
    public Refusals refusals() {
      return refusals;
    }
  }
}
