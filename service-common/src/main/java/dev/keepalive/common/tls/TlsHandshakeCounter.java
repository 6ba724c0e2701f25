package dev.keepalive.common.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code <name>_total{resumed="true|false"}}: every TLS handshake a side completed, full or resumed. */
public final class TlsHandshakeCounter {
  private final Counter full;
  private final Counter resumed;

  public TlsHandshakeCounter(MeterRegistry registry, String name, String whose) {
    this.full = counter(registry, name, whose, false);
    this.resumed = counter(registry, name, whose, true);
  }

  private static Counter counter(MeterRegistry registry, String name, String whose, boolean resumed) {
    return Counter.builder(name)
        .description("TLS handshakes " + whose + " completed: resumed=false a full one (key exchange, certificate, "
            + "signature), resumed=true one that reused an earlier session (no certificate step).")
        .tag("resumed", Boolean.toString(resumed))
        .register(registry);
  }

  public void record(TlsHandshake handshake) {
    if (handshake != null) {
      (handshake.resumed() ? resumed : full).increment();
    }
  }
}
