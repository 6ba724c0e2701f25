package dev.keepalive.common.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A service's own client connections: accepted, open now, and closed by reason. Recorded here only. */
public final class ServerConnectionMetrics {
  /** Why a client connection closed. */
  public enum Reason {
    /** keep-alive connection idle longer than --idle-timeout */
    IDLE,
    /** request line and headers not complete within --headers-timeout */
    HEADERS_TIMEOUT,
    /** refused at once: --max-client-connections were open */
    LIMIT,
    /** the client closed it, or the server did for another reason (bad request, shutdown) */
    OTHER;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Counter accepted;
  private final Map<Reason, Counter> closed = new ConcurrentHashMap<>();

  /** @param prefix e.g. "gateway.server.connections" */
  public ServerConnectionMetrics(MeterRegistry registry, String prefix, Supplier<Number> open) {
    this.accepted = Counter.builder(prefix + ".accepted")
        .description("Client connections the server accepted (refused ones included: they close with reason limit).")
        .register(registry);
    Gauge.builder(prefix + ".active", open, s -> s.get().doubleValue())
        .description("Client connections open now.")
        .strongReference(true) // the supplier is a method reference nothing else keeps
        .register(registry);
    for (Reason r : Reason.values()) {
      closed.put(r, Counter.builder(prefix + ".closed")
          .description("Client connections closed, by reason: idle (--idle-timeout between requests), "
              + "headers_timeout (request line and headers not complete in time: 408), limit (refused at once, "
              + "--max-client-connections open), other (closed by the client, or after a bad request or at shutdown).")
          .tag("reason", r.tag())
          .register(registry));
    }
  }

  void accepted() {
    accepted.increment();
  }

  void closed(Reason reason) {
    closed.get(reason).increment();
  }
}
