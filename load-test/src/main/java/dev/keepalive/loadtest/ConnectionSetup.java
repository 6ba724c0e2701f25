package dev.keepalive.loadtest;

import dev.keepalive.common.tls.TlsVersions;
import io.vertx.core.json.JsonObject;

/**
 * What one new connection of a client configuration waits for before its first request may leave, in round trips
 * (docs/tls.md, "Round trips"): plain TCP 1 (SYN, SYN-ACK); TCP + TLS 1.3 2, full or resumed (TCP's, then TLS's one
 * flight; only 0-RTT, not used, would save it); TCP + TLS 1.2 3 for a full handshake (two TLS flights) and 2 for a
 * resumed one (the abbreviated handshake); QUIC 1 (transport and TLS 1.3 in one handshake).
 * <p>
 * QUIC's figure is measured on the link when there is one: the round trips each client waited for before its first
 * 1-RTT datagram (the first that can carry a request), and whether the server sent Retry packets (address validation:
 * the handshake starts again a round trip later). Vert.x 5.1.6's client measured 2 here, not QUIC's 1: it sends its
 * first request only after the server's first 1-RTT datagram (docs/http3.md). The TCP figures are the protocols' own.
 *
 * @param protocol how the table names it
 * @param roundTrips for a full handshake
 * @param resumedRoundTrips for a resumed TLS session (the same as roundTrips where resumption saves no round trip)
 * @param overTcp a TCP connect precedes it (its loopback cost is measured, see UpstreamPath)
 */
record ConnectionSetup(String protocol, int roundTrips, int resumedRoundTrips, boolean overTcp) {
  static final ConnectionSetup TCP = new ConnectionSetup("TCP", 1, 1, true);
  static final ConnectionSetup TCP_TLS13 = new ConnectionSetup("TCP+TLS1.3", 2, 2, true);
  static final ConnectionSetup TCP_TLS12 = new ConnectionSetup("TCP+TLS1.2", 3, 2, true);
  static final ConnectionSetup QUIC = new ConnectionSetup("QUIC", 1, 1, false);

  /**
   * QUIC as the link saw it: the round trips its handshakes waited for on average (rounded; 1 if none was seen), named
   * QUIC+Retry when the server sent Retry packets.
   */
  static ConnectionSetup quic(long retries, long handshakes, long roundTrips) {
    int perHandshake = handshakes == 0 ? (retries == 0 ? 1 : 2) : (int) Math.round((double) roundTrips / handshakes);
    return new ConnectionSetup(retries == 0 ? "QUIC" : "QUIC+Retry", perHandshake, perHandshake, false);
  }

  boolean overQuic() {
    return !overTcp;
  }

  /**
   * @param upstreamVersions the TLS versions the upstream accepts: the gateway accepts 1.2 and 1.3, so TLS 1.3 is
   *     negotiated whenever the upstream allows it, TLS 1.2 only when it allows nothing else
   */
  static ConnectionSetup of(ClientConfig client, TlsVersions upstreamVersions) {
    if (client.http3()) {
      return QUIC;
    }
    if (client.tls() == ClientConfig.Tls.NONE) {
      return TCP;
    }
    return upstreamVersions.protocols().contains("TLSv1.3") ? TCP_TLS13 : TCP_TLS12;
  }

  /** "2 TCP+TLS1.3", "3 TCP+TLS1.2 (2 resumed)" */
  String describe() {
    return roundTrips + " " + protocol + (resumedRoundTrips == roundTrips ? "" : " (" + resumedRoundTrips + " resumed)");
  }

  JsonObject toJson() {
    return new JsonObject().put("protocol", protocol).put("roundTrips", roundTrips)
        .put("resumedRoundTrips", resumedRoundTrips);
  }
}
