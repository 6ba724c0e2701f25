package dev.keepalive.gateway;

import dev.keepalive.common.tls.TlsHandshake;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TLS handshakes of the connections one fan-out opened (full or resumed), and the protocols ALPN and TLS chose
 * on the connections its calls used.
 */
final class TlsSummary {
  private int full;
  private int resumed;
  private final Set<String> alpn = new TreeSet<>();
  private final Set<String> versions = new TreeSet<>();

  private boolean seen;

  /**
   * @param handshake of the connection that carried a call; null for plain HTTP or no connection
   * @param newConnection the call opened that connection: its handshake belongs to this fan-out
   */
  void add(TlsHandshake handshake, boolean newConnection) {
    if (handshake == null) {
      return;
    }
    seen = true;
    if (newConnection) {
      if (handshake.resumed()) {
        resumed++;
      } else {
        full++;
      }
    }
    alpn.add(handshake.alpn());
    versions.add(handshake.version());
  }

  /** Some call went over TLS. */
  boolean seen() {
    return seen;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("fullHandshakes", full)
        .put("resumedHandshakes", resumed)
        .put("alpn", String.join(",", alpn))
        .put("version", String.join(",", versions));
  }
}
