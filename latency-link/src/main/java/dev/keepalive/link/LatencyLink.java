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
 * No bandwidth limit, no congestion control: only time (and with --loss, chunks held back one RTT more).
 * <p>
 * UDP datagrams to the same port number cross it too ({@link UdpLink}), each delayed by half the RTT, so that QUIC
 * (HTTP/3) pays its own one-round-trip handshake on the same network.
 */
public final class LatencyLink {
  private final Vertx vertx;
  private final String deploymentId;
  private final UdpLink udp;
  private final LinkConfig config;
  private final int port;
  private final LinkStats stats;

  private LatencyLink(Vertx vertx, String deploymentId, UdpLink udp, LinkConfig config, int port, LinkStats stats) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.udp = udp;
    this.config = config;
    this.port = port;
    this.stats = stats;
  }

  /** Listens and forwards on {@code vertx}'s event loops, {@code config.eventLoops()} of them. */
  public static Future<LatencyLink> start(Vertx vertx, LinkConfig config) {
    // Instances share a port only when they ask for the same number, and UDP takes the same number as TCP: pick a
    // port free for both first.
    int port = ListenPort.resolveTcpAndUdp(config.listen().host(), config.listen().port());
    LinkConfig resolved = new LinkConfig(new HostPort(config.listen().host(), port), config.targets(), config.rtt(),
        config.jitter(), config.eventLoops(), config.loss());
    LinkStats stats = new LinkStats();
    AtomicReference<LinkVerticle> first = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
          LinkVerticle v = new LinkVerticle(resolved, stats);
          first.compareAndSet(null, v);
          return v;
        }, new DeploymentOptions().setInstances(config.eventLoops()))
        .compose(id -> UdpLink.start(vertx, resolved, stats)
            .map(udp -> new LatencyLink(vertx, id, udp, resolved, first.get().actualPort(), stats)));
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

  /** UDP datagrams passed on (either way), and dropped by --loss. */
  public long datagramsForwarded() {
    return stats.datagramsForwarded();
  }

  public long datagramsDropped() {
    return stats.datagramsDropped();
  }

  /** Client datagrams starting with a QUIC Initial packet, and server QUIC Retry packets, carried (or dropped). */
  public long quicInitials() {
    return stats.quicInitials();
  }

  public long quicRetries() {
    return stats.quicRetries();
  }

  /** QUIC handshakes seen through to the client's first 1-RTT datagram, and the round trips they waited, summed. */
  public long quicHandshakes() {
    return stats.quicHandshakes();
  }

  public long quicHandshakeRoundTrips() {
    return stats.quicHandshakeRoundTrips();
  }

  /** TCP chunks held back one RTT by --loss (either way). */
  public long chunksHeldBack() {
    return stats.chunksHeldBack();
  }

  /** The most bytes one direction of one connection has held at once: a slow reader cannot make the link grow. */
  public long peakQueuedBytes() {
    return stats.peakQueuedBytes();
  }

  public LinkStats.Snapshot stats() {
    return stats.snapshot();
  }

  /** Stops listening and closes every connection the link carries, on both sides. */
  public Future<Void> close() {
    return Future.join(vertx.undeploy(deploymentId), udp.close()).mapEmpty();
  }
}
