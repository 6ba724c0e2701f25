package dev.keepalive.gateway;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.net.endpoint.DefaultInteractionMetric;
import io.vertx.core.net.endpoint.DefaultInteractionMetrics;
import io.vertx.core.net.endpoint.InteractionMetrics;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.core.net.endpoint.ServerEndpoint;
import io.vertx.core.net.endpoint.ServerSelector;
import java.net.ConnectException;
import java.util.List;

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

  @Override
  public InteractionMetrics<?> newMetrics() {
    return new ConnectOutcomes();
  }

  @Override
  public ServerSelector selector(List<? extends ServerEndpoint> servers) {
    ServerSelector inner = balancer.selector(servers);
    return new ServerSelector() {
      @Override
      public int select() {
        long now = System.nanoTime();
        return avoiding(inner.select(), s -> s.metrics() instanceof ConnectOutcomes o && o.refusing(now));
      }

      @Override
      public int select(String key) {
        return FAILOVER.equals(key)
            ? avoiding(inner.select(), s -> s.metrics() instanceof ConnectOutcomes o && o.refusedSinceLastAnswer())
            : inner.select(key);
      }

      /**
       * The balancer's pick, or when it is to be avoided a replica at random among those that are not (a fair
       * share each, where asking a round robin again would give the next one in the list the skipped one's
       * share too); all to be avoided: the pick, whose call then fails as connect_refused.
       */
      private int avoiding(int pick, java.util.function.Predicate<ServerEndpoint> avoid) {
        if (pick < 0 || !avoid.test(servers.get(pick))) {
          return pick;
        }
        List<Integer> others = new java.util.ArrayList<>(servers.size());
        for (int i = 0; i < servers.size(); i++) {
          if (!avoid.test(servers.get(i))) {
            others.add(i);
          }
        }
        return others.isEmpty() ? pick : others.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(others.size()));
      }
    };
  }

  /** Vert.x's default per-endpoint metrics (least-requests and power-of-two-choices read them), plus the last refusal. */
  static final class ConnectOutcomes extends DefaultInteractionMetrics {
    private volatile long refusedAtNanos;
    private volatile boolean refused;

    @Override
    public void reportFailure(DefaultInteractionMetric metric, Throwable failure) {
      super.reportFailure(metric, failure);
      if (isRefusal(failure)) {
        refusedAtNanos = System.nanoTime();
        refused = true;
      }
    }

    @Override
    public void reportResponseBegin(DefaultInteractionMetric metric) {
      super.reportResponseBegin(metric);
      if (refused) {
        refused = false; // it answers: back in the rotation at once
      }
    }

    boolean refusing(long nowNanos) {
      return refused && nowNanos - refusedAtNanos < SKIP_NANOS;
    }

    boolean refusedSinceLastAnswer() {
      return refused;
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
}
