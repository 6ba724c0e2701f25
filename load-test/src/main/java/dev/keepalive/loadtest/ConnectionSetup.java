package dev.keepalive.loadtest;

import io.vertx.core.json.JsonObject;

/**
 * What one new connection of a client configuration waits for before its first request may leave, in round trips:
 * plain TCP 1 (SYN, SYN-ACK), TCP + TLS 1.3 2 (TCP's, then TLS's one flight; a resumed TLS 1.3 handshake takes the
 * same round trip, only 0-RTT would save it), QUIC 1 (transport and TLS 1.3 in one handshake). The embedded stack
 * negotiates TLS 1.3 (both sides allow 1.2 and 1.3, and prefer 1.3); TLS 1.2 would take 3.
 * <p>
 * QUIC's figure is checked against the link: a server that validates client addresses answers a first Initial with a
 * Retry, and the handshake starts again one round trip later (QUIC_RETRY). The link counts Retry packets, so a QUIC
 * run through it says which it was ({@link #quic(long)}); the TCP figures are the protocols' own, not measured.
 *
 * @param protocol how the table names it
 * @param overTcp a TCP connect precedes it (its loopback cost is measured, see UpstreamPath)
 */
record ConnectionSetup(String protocol, int roundTrips, boolean overTcp) {
  static final ConnectionSetup TCP = new ConnectionSetup("TCP", 1, true);
  static final ConnectionSetup TCP_TLS13 = new ConnectionSetup("TCP+TLS1.3", 2, true);
  static final ConnectionSetup QUIC = new ConnectionSetup("QUIC", 1, false);
  static final ConnectionSetup QUIC_RETRY = new ConnectionSetup("QUIC+Retry", 2, false);

  /** QUIC as the link saw it: one round trip, or two when the server sent Retry packets. */
  static ConnectionSetup quic(long retriesSeen) {
    return retriesSeen == 0 ? QUIC : QUIC_RETRY;
  }

  boolean overQuic() {
    return !overTcp;
  }

  static ConnectionSetup of(ClientConfig client) {
    if (client.http3()) {
      return QUIC;
    }
    return client.tls() == ClientConfig.Tls.NONE ? TCP : TCP_TLS13;
  }

  /** "2 TCP+TLS1.3" */
  String describe() {
    return roundTrips + " " + protocol;
  }

  JsonObject toJson() {
    return new JsonObject().put("protocol", protocol).put("roundTrips", roundTrips);
  }
}
