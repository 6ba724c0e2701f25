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
 * Wraps a Vert.x balancer so that it skips, for {@link #SKIP_NANOS}, a replica that just refused a connect: a
 * small outlier ejection (Envoy ejects on consecutive connect failures too). Vert.x 5.1.6's balancers have none,
 * so a dead replica kept its share and every call sent to it failed. With this, a call refused by one replica is
 * sent once more ({@link UpstreamClient}) and the balancer picks a live one. Once the skip has passed, the next
 * call that lands on the replica tries it again: a replica that is back gets traffic again, one still down is
 * skipped again (and that call too goes elsewhere).
 *
 * <p>How the replica is known: Vert.x reports a failed connection request to the endpoint's interaction metrics
 * ({@code reportFailure}) before the request's own future fails, so the skip is in place when the retry selects.
 */
final class RefusedConnectEjection implements LoadBalancer {
  /** Short: the lab's replicas come and go within seconds, and a returning replica should get calls at once. */
  static final long SKIP_NANOS = 500_000_000L;

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
    return () -> {
      int first = inner.select();
      // Ask the balancer again, at most once per replica, for one that has not refused lately; all refusing: the
      // first pick, whose call then fails as connect_refused.
      int pick = first;
      for (int tries = 0; pick >= 0 && refusing(servers.get(pick)) && tries < servers.size(); tries++) {
        pick = inner.select();
      }
      return pick >= 0 && refusing(servers.get(pick)) ? first : pick;
    };
  }

  private static boolean refusing(ServerEndpoint server) {
    return server.metrics() instanceof ConnectOutcomes o && o.refusing(System.nanoTime());
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
