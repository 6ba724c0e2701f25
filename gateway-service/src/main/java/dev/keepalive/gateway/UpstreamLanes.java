package dev.keepalive.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream client (one pool) per event loop, the --pool-size split between them.
 *
 * <p>A connection belongs to the event loop that opened it. With one pool shared by several event loops,
 * a call made on loop A often gets a connection owned by loop B: B writes the request and hands the
 * response back to A, two cross-thread wake-ups per call, which cost more than the second loop adds
 * (docs/performance.md). With a lane per verticle instance, a fan-out's calls stay on the loop that
 * received it. The pool bound stays the total: {@code --pool-size 10 --instances 2} is two lanes of 5.
 * With fewer connections than instances (one HTTP/2 connection), instances share lanes round-robin.
 */
final class UpstreamLanes {
  private final List<UpstreamClient> lanes;

  UpstreamLanes(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, UpstreamHealth health) {
    ConnectionTracker tracker = new ConnectionTracker(metrics, config.keepAlive(), config.keepAliveTimeout(),
        config.upstream().tls() ? new UpstreamTls(config) : null);
    int count = Math.min(config.instances(), config.poolSize());
    List<UpstreamClient> clients = new ArrayList<>(count);
    for (int lane = 0; lane < count; lane++) {
      clients.add(new UpstreamClient(vertx, laneConfig(config, lane, count), metrics, health, tracker));
    }
    this.lanes = List.copyOf(clients);
  }

  /** Lane {@code lane} of {@code count}: its share of the pool and of the wait queue (the first lanes take the remainder). */
  static GatewayConfig laneConfig(GatewayConfig config, int lane, int count) {
    return config.with(b -> {
      b.poolSize = share(config.poolSize(), lane, count);
      b.maxWaitQueue = config.maxWaitQueue() < 0 ? -1 : share(config.maxWaitQueue(), lane, count);
    });
  }

  private static int share(int total, int lane, int count) {
    return total / count + (lane < total % count ? 1 : 0);
  }

  /** The client of the verticle instance numbered {@code instance} (0-based, in deployment order). */
  UpstreamClient forInstance(int instance) {
    return lanes.get(instance % lanes.size());
  }

  Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>(lanes.size());
    for (UpstreamClient lane : lanes) {
      closed.add(lane.close());
    }
    return Future.join(closed).mapEmpty();
  }
}
