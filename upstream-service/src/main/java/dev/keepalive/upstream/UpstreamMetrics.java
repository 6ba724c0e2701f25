package dev.keepalive.upstream;

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
  private final Counter accepted;
  private final AtomicLong active = new AtomicLong();
  private final ConcurrentHashMap<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
  private final Timer duration;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong peakInFlight = new AtomicLong();

  public UpstreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted = Counter.builder("upstream.connections.accepted")
        .description("TCP connections the upstream accepted (HTTP/1.1 and HTTP/2). One per client handshake.")
        .register(registry);
    Gauge.builder("upstream.connections.active", active, AtomicLong::get)
        .description("TCP connections currently open on the upstream.")
        .register(registry);
    this.duration = Timer.builder("upstream.request.duration")
        .description("Time from a request's arrival at the upstream to the end of its response, service delay included.")
        .register(registry);
    // The concurrency a client really achieved (HTTP/2 streams, pipelining, pool size), whatever the timing.
    Gauge.builder("upstream.requests.in.flight.peak", peakInFlight, AtomicLong::get)
        .description("Most requests the upstream held at once (received, not yet answered) since it started.")
        .register(registry);
    requests(200); // present from the start, so rate() has a series before the first request
  }

  public void connectionAccepted() {
    accepted.increment();
    active.incrementAndGet();
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
