package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsHandshake;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The "tls" section of a /fanout answer: handshakes counted only for the connections the fan-out opened, the
 * protocols of every connection its calls used; no section at all when no call went over TLS.
 */
class TlsSummaryTest {

  @Test
  void plainHttpCallsLeaveNoTlsSection() {
    TlsSummary s = new TlsSummary();
    s.add(null, true);
    s.add(null, false);
    assertThat(s.seen()).isFalse();
  }

  @Test
  void handshakesAreCountedForNewConnectionsOnlyAndTheProtocolsOfEveryConnectionAreListed() {
    TlsSummary s = new TlsSummary();
    s.add(new TlsHandshake(false, "TLSv1.3", "h2"), true);
    s.add(new TlsHandshake(true, "TLSv1.3", "h2"), true);
    s.add(new TlsHandshake(true, "TLSv1.3", "h2"), true);
    // A reused connection: its handshake was counted by the fan-out that opened it.
    s.add(new TlsHandshake(false, "TLSv1.2", "http/1.1"), false);
    assertThat(s.seen()).isTrue();
    assertThat(s.toJson()).isEqualTo(new JsonObject().put("fullHandshakes", 1).put("resumedHandshakes", 2)
        .put("alpn", "h2,http/1.1").put("version", "TLSv1.2,TLSv1.3"));
  }

  @Test
  void aFanOutOnlyOnReusedConnectionsStillSaysItWentOverTls() {
    TlsSummary s = new TlsSummary();
    s.add(new TlsHandshake(false, "TLSv1.3", "none"), false);
    assertThat(s.seen()).isTrue();
    assertThat(s.toJson()).isEqualTo(new JsonObject().put("fullHandshakes", 0).put("resumedHandshakes", 0)
        .put("alpn", "none").put("version", "TLSv1.3"));
  }
}
