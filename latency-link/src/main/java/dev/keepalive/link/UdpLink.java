package dev.keepalive.link;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The link for UDP (QUIC, hence HTTP/3): a datagram to the link's port number goes on to the target's, delayed by
 * half the RTT, and each answer comes back delayed by half the RTT: the same network as the TCP link's. UDP has no
 * handshake of its own, so nothing else is added: the round trips a protocol on top needs (QUIC's one) it pays itself.
 * <p>
 * Each client address (a UDP flow: the link's own address is the same for all) gets a socket of its own towards one
 * target, chosen by the link's {@link Targets} when the flow's first datagram arrives, as a TCP connection's is (round
 * robin over {@code --to a,b}): every datagram of the flow then goes to that target, so a QUIC connection stays on one
 * replica, as behind an L4 balancer that keeps UDP flows by their 4-tuple. (A Vert.x 5.1.6 HTTP/3 client sends all its
 * QUIC connections from one UDP socket: one flow, so one target for all of them.) Answers find their way back and the
 * target sees one peer per client, as without the link. With --loss a datagram is dropped with that probability, either way;
 * datagrams keep their order unless jitter reorders them, as on a real network; no bandwidth limit, no congestion.
 * It reads the first byte of each datagram ({@link QuicPacket}) to count QUIC handshakes' Initial and Retry packets,
 * and the round trips each client waited for before its first 1-RTT datagram ({@link QuicHandshakeTurns}).
 */
final class UdpLink {
  private final Vertx vertx;
  private final LinkConfig config;
  private final DatagramSocket listener;
  private final LinkStats stats;
  private final Map<SocketAddress, Peer> peers = new ConcurrentHashMap<>();
  private final Map<SocketAddress, QuicHandshakeTurns> handshakes = new ConcurrentHashMap<>();

  private UdpLink(Vertx vertx, LinkConfig config, DatagramSocket listener, LinkStats stats) {
    this.vertx = vertx;
    this.config = config;
    this.listener = listener;
    this.stats = stats;
  }

  /** Listens on UDP at the link's (resolved, non-zero) host and port. */
  static Future<UdpLink> start(Vertx vertx, LinkConfig config, LinkStats stats) {
    DatagramSocket listener = vertx.createDatagramSocket(new DatagramSocketOptions());
    UdpLink link = new UdpLink(vertx, config, listener, stats);
    listener.handler(packet -> link.fromClient(packet.sender(), packet.data()));
    return listener.listen(config.listen().port(), config.listen().host()).map(link);
  }

  private void fromClient(SocketAddress client, Buffer data) {
    Peer peer = peers.computeIfAbsent(client, this::openPeer);
    QuicPacket packet = QuicPacket.of(data);
    if (packet == QuicPacket.INITIAL) {
      stats.quicInitial();
    }
    handshakes.computeIfAbsent(client, c -> new QuicHandshakeTurns(stats)).fromClient(packet);
    if (config.loses()) {
      stats.datagramDropped();
      return;
    }
    later(() -> peer.socket().onSuccess(socket -> {
      stats.datagramForwarded();
      stats.up(data.length());
      socket.send(data, peer.target().port(), peer.target().host());
    }));
  }

  /** A client's flow: the target it was given and the socket that speaks to it. */
  private record Peer(SocketAddress target, Future<DatagramSocket> socket) {}

  /** The target for one client and the socket that speaks to it, which relays the target's answers back to the client. */
  private Peer openPeer(SocketAddress client) {
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions());
    socket.handler(answer -> {
      if (QuicPacket.of(answer.data()) == QuicPacket.RETRY) {
        stats.quicRetry();
      }
      if (config.loses()) {
        stats.datagramDropped();
        return;
      }
      later(() -> {
        stats.datagramForwarded();
        stats.down(answer.data().length());
        handshakes.computeIfAbsent(client, c -> new QuicHandshakeTurns(stats)).deliveredToClient();
        listener.send(answer.data(), client.port(), client.host());
      });
    });
    return new Peer(config.targets().next(), socket.listen(0, "0.0.0.0"));
  }

  /** Half the RTT from now (jitter included), whole milliseconds rounded up: never early. */
  private void later(Runnable send) {
    long nanos = config.oneWayNanos();
    if (nanos <= 0) {
      send.run();
      return;
    }
    vertx.setTimer((nanos + 999_999) / 1_000_000, id -> send.run());
  }

  Future<Void> close() {
    List<Future<?>> closing = new ArrayList<>();
    closing.add(listener.close());
    peers.values().forEach(p -> closing.add(p.socket().compose(DatagramSocket::close)));
    peers.clear();
    return Future.join(closing).mapEmpty();
  }
}
