package dev.keepalive.loadtest;

import io.vertx.core.json.JsonObject;

/**
 * What one new connection of a client configuration waits for before its first request may leave, in round trips:
 * plain TCP 1 (SYN, SYN-ACK), TCP + TLS 1.3 2 (TCP's, then TLS's one flight; a resumed TLS 1.3 handshake takes the
 * same round trip, only 0-RTT would save it), QUIC 1 (transport and TLS 1.3 in one handshake). The embedded stack
 * negotiates TLS 1.3 (both sides allow 1.2 and 1.3, and prefer 1.3); TLS 1.2 would take 3.
 * <p>
 * QUIC's figure is measured on the link when there is one: the round trips each client waited for before its first
 * 1-RTT datagram (the first that can carry a request), and whether the server sent Retry packets (address validation:
 * the handshake starts again a round trip later). Vert.x 5.1.6's client measured 2 here, not QUIC's 1: it sends its
 * first request only after the server's first 1-RTT datagram (docs/http3.md). The TCP figures are the protocols' own.
 *
 * @param protocol how the table names it
 * @param overTcp a TCP connect precedes it (its loopback cost is measured, see UpstreamPath)
 */
record ConnectionSetup(String protocol, int roundTrips, boolean overTcp) {
  static final ConnectionSetup TCP = new ConnectionSetup("TCP", 1, true);
  static final ConnectionSetup TCP_TLS13 = new ConnectionSetup("TCP+TLS1.3", 2, true);
  static final ConnectionSetup QUIC = new ConnectionSetup("QUIC", 1, false);

  /**
   * QUIC as the link saw it: the round trips its handshakes waited for on average (rounded; 1 if none was seen), named
   * QUIC+Retry when the server sent Retry packets.
   */
  static ConnectionSetup quic(long retries, long handshakes, long roundTrips) {
    int perHandshake = handshakes == 0 ? (retries == 0 ? 1 : 2) : (int) Math.round((double) roundTrips / handshakes);
    return new ConnectionSetup(retries == 0 ? "QUIC" : "QUIC+Retry", perHandshake, false);
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
