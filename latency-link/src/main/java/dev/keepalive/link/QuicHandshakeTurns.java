package dev.keepalive.link;

/**
 * Round trips one client address waited for before it sent its first short-header (1-RTT) QUIC datagram, the first
 * that can carry a request: each time the client sends after the link delivered it something from the server counts
 * one. QUIC's design needs one (the client's request may leave with its Finished); a Retry adds one. A new Initial
 * after that starts a new handshake. Concurrent handshakes from one address are counted as one. Used on the link's
 * event loop only.
 */
final class QuicHandshakeTurns {
  private final LinkStats stats;
  private boolean started;
  private boolean done;
  private boolean heardSinceSend;
  private int turns;

  QuicHandshakeTurns(LinkStats stats) {
    this.stats = stats;
  }

  /** A datagram from the client, as it reaches the link. */
  synchronized void fromClient(QuicPacket packet) {
    if (packet == QuicPacket.INITIAL && (done || !started)) {
      started = true;
      done = false;
      heardSinceSend = false;
      turns = 0;
      return;
    }
    if (!started || done) {
      return;
    }
    if (heardSinceSend) {
      turns++;
      heardSinceSend = false;
    }
    if (packet == QuicPacket.ONE_RTT) {
      done = true;
      stats.quicHandshake(turns);
    }
  }

  /** A datagram from the server, delivered to the client. */
  synchronized void deliveredToClient() {
    if (started && !done) {
      heardSinceSend = true;
    }
  }
}
