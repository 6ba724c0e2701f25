package dev.keepalive.upstream;

import dev.keepalive.common.tls.TlsHandshake;
import dev.keepalive.common.tls.TlsHandshakeCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Every metric the upstream defines, recorded here and nowhere else. */
public final class UpstreamMetrics {
  private final MeterRegistry registry;
  private final Counter acceptedTcp;
  private final Counter acceptedQuic;
  private final AtomicLong active = new AtomicLong();
  private final ConcurrentHashMap<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
  private final Timer duration;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong peakInFlight = new AtomicLong();
  private final TlsHandshakeCounter tlsHandshakes;
  private final Counter headersTimeouts;
  private final Timer tlsHandshakeFull;
  private final Timer tlsHandshakeResumed;

  public UpstreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.acceptedTcp = accepted("tcp");
    this.acceptedQuic = accepted("quic");
    Gauge.builder("upstream.connections.active", active, AtomicLong::get)
        .description("Connections currently open on the upstream (TCP and QUIC).")
        .register(registry);
    this.duration = Timer.builder("upstream.request.duration")
        .description("Time from a request's arrival at the upstream to the end of its response, service delay included.")
        .register(registry);
    // The concurrency a client really achieved (HTTP/2 streams, pipelining, pool size), whatever the timing.
    Gauge.builder("upstream.requests.in.flight.peak", peakInFlight, AtomicLong::get)
        .description("Most requests the upstream held at once (received, not yet answered) since it started.")
        .register(registry);
    this.tlsHandshakes = new TlsHandshakeCounter(registry, "upstream.tls.handshakes", "the upstream");
    this.headersTimeouts = Counter.builder("upstream.connections.headers.timeout")
        .description("Connections answered 408 and closed because a request line and headers were not complete "
            + "within --headers-timeout: a connection's first request timed from the TCP accept (those are not in "
            + "upstream_connections_accepted_total: Vert.x reports a connection only once its first request head is "
            + "complete), each later one from its first bytes.")
        .register(registry);
    this.tlsHandshakeFull = handshakeTimer(false);
    this.tlsHandshakeResumed = handshakeTimer(true);
    requests(200); // present from the start, so rate() has a series before the first request
  }

  private Counter accepted(String protocol) {
    return Counter.builder("upstream.connections.accepted")
        .description("Connections the upstream accepted, one per client handshake, by transport: tcp (HTTP/1.1 and "
            + "HTTP/2) or quic (HTTP/3, where one handshake sets up the transport and TLS together).")
        .tag("protocol", protocol)
        .register(registry);
  }

  private Timer handshakeTimer(boolean resumed) {
    return Timer.builder("upstream.tls.handshake")
        .description("Time of each TLS handshake the upstream completed, from the TCP accept to the handshake's end: "
            + "the wait for the ClientHello, the handshake's round trips and both sides' cryptography.")
        .tag("resumed", Boolean.toString(resumed))
        .publishPercentileHistogram()
        .register(registry);
  }

  /** A completed TLS handshake's time, from the accepted connection (every TCP handshake over TLS, HTTP or not). */
  public void tlsHandshakeTime(boolean resumed, long nanos) {
    (resumed ? tlsHandshakeResumed : tlsHandshakeFull).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** @param protocol "tcp" or "quic" */
  public void connectionAccepted(String protocol) {
    ("quic".equals(protocol) ? acceptedQuic : acceptedTcp).increment();
    active.incrementAndGet();
  }

  /** @param handshake the accepted connection's TLS handshake, null for plain HTTP */
  public void tlsHandshake(TlsHandshake handshake) {
    tlsHandshakes.record(handshake);
  }

  /** A connection closed by --headers-timeout. */
  public void headersTimeout() {
    headersTimeouts.increment();
  }

  public void connectionClosed() {
    active.decrementAndGet();
  }

  /** A request is being served: it counts towards the peak until answered or abandoned. */
  public void requestStarted() {
    long now = inFlight.incrementAndGet();
    if (now > peakInFlight.get()) {
      peakInFlight.accumulateAndGet(now, Math::max);
    }
  }

  /** A request whose client went away before its answer. */
  public void requestAbandoned() {
    inFlight.decrementAndGet();
  }

  public void requestServed(int status, long startNanos) {
    inFlight.decrementAndGet();
    requests(status).increment();
    duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private Counter requests(int status) {
    return requestsByStatus.computeIfAbsent(status, s -> Counter.builder("upstream.requests")
        .description("Requests the upstream answered, by HTTP status.")
        .tag("status", Integer.toString(s))
        .register(registry));
  }
}
