package dev.keepalive.link;

import dev.keepalive.common.ListenPort;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP link that behaves like a network with a round-trip time: every byte waits half the RTT in each
 * direction, a new connection's first client bytes wait one RTT more (SYN, SYN-ACK) and nothing from the
 * server reaches the client sooner than two RTTs after it connected. Each incoming connection gets
 * exactly one upstream connection, so connection counts on both sides stay what they were without it.
 * No bandwidth limit, no loss, no congestion control: only time.
 */
public final class LatencyLink {
  private final Vertx vertx;
  private final String deploymentId;
  private final LinkConfig config;
  private final int port;
  private final LinkStats stats;

  private LatencyLink(Vertx vertx, String deploymentId, LinkConfig config, int port, LinkStats stats) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.config = config;
    this.port = port;
    this.stats = stats;
  }

  /** Listens and forwards on {@code vertx}'s event loops, {@code config.eventLoops()} of them. */
  public static Future<LatencyLink> start(Vertx vertx, LinkConfig config) {
    // Instances share a port only when they ask for the same number: pick the free port first.
    int port = ListenPort.resolve(config.listen().host(), config.listen().port(), config.eventLoops());
    LinkConfig resolved = new LinkConfig(new HostPort(config.listen().host(), port), config.targets(), config.rtt(),
        config.jitter(), config.eventLoops());
    LinkStats stats = new LinkStats();
    AtomicReference<LinkVerticle> first = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
          LinkVerticle v = new LinkVerticle(resolved, stats);
          first.compareAndSet(null, v);
          return v;
        }, new DeploymentOptions().setInstances(config.eventLoops()))
        .map(id -> new LatencyLink(vertx, id, resolved, first.get().actualPort(), stats));
  }

  public int port() {
    return port;
  }

  /** The address clients connect to: loopback when listening on every interface. */
  public HostPort address() {
    String host = config.listen().host();
    return new HostPort(host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host, port);
  }

  public LinkConfig config() {
    return config;
  }

  public LinkStats.Snapshot stats() {
    return stats.snapshot();
  }

  /** Stops listening and closes every connection the link carries, on both sides. */
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }
}
