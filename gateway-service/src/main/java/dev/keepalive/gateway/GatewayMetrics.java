package dev.keepalive.gateway;

import dev.keepalive.common.tls.TlsHandshake;
import dev.keepalive.common.tls.TlsHandshakeCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric the gateway defines, recorded here and nowhere else. Named after Envoy's cluster
 * statistics: opened = upstream_cx_total, active = upstream_cx_active, closed by local/remote =
 * upstream_cx_destroy_local/_remote, requests per connection = upstream_rq_per_cx.
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Counter openedTcp;
  private final Counter openedQuic;
  private final AtomicLong active = new AtomicLong();
  private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();
  private final DistributionSummary requestsPerConnection;
  private final ConcurrentHashMap<String, Counter> upstreamRequests = new ConcurrentHashMap<>();
  private final Timer upstreamDuration;
  // Looked up once: recorded on every upstream call.
  private final Counter upstreamSuccess;
  private final Counter fanoutSuccess;
  private final ConcurrentHashMap<String, Counter> fanouts = new ConcurrentHashMap<>();
  private final Timer fanoutDuration;
  private final ConcurrentHashMap<String, Counter> retries = new ConcurrentHashMap<>();
  private final TlsHandshakeCounter tlsHandshakes;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.openedTcp = openedCounter("tcp");
    this.openedQuic = openedCounter("quic");
    Gauge.builder("gateway.upstream.connections.active", active, AtomicLong::get)
        .description("Connections from the gateway to the upstream that are open now (bounded by the pool size).")
        .register(registry);
    this.requestsPerConnection = DistributionSummary.builder("gateway.upstream.requests.per.connection")
        .description("Upstream requests each connection carried, recorded when it closes: 1 without keep-alive.")
        .register(registry);
    this.upstreamDuration = Timer.builder("gateway.upstream.request.duration")
        .description("Latency of one upstream call as the gateway sees it: pool wait, connect if any, request and response.")
        .register(registry);
    this.fanoutDuration = Timer.builder("gateway.fanout.duration")
        .description("Latency of one incoming /fanout request: all its upstream calls, end to end.")
        .register(registry);
    this.tlsHandshakes = new TlsHandshakeCounter(registry, "gateway.upstream.tls.handshakes",
        "the gateway's connections to the upstream");
    for (String by : new String[] {"local", "remote"}) {
      closedCounter(by);
    }
    this.upstreamSuccess = upstreamCounter("success");
    this.fanoutSuccess = fanoutCounter("success");
    retryCounter("stale_connection");
    retryCounter("unanswered_pipelined");
    retryCounter("refused_stream");
  }

  /** @param reason "stale_connection" (keep-alive race), "unanswered_pipelined" or "refused_stream" (HTTP/2) */
  public void retry(String reason) {
    retryCounter(reason).increment();
  }

  private Counter retryCounter(String reason) {
    return retries.computeIfAbsent(reason, r -> Counter.builder("gateway.upstream.retries")
        .description("Upstream calls sent a second time because they failed on a reused connection before any "
            + "response byte: stale_connection (the server closed an idle keep-alive connection as the call left) or "
            + "unanswered_pipelined (a closing connection dropped pipelined calls) or refused_stream (an HTTP/2 "
            + "server refused the stream, with GOAWAY or REFUSED_STREAM, so never processed it).")
        .tag("reason", r)
        .register(registry));
  }

  private Counter openedCounter(String protocol) {
    return Counter.builder("gateway.upstream.connections.opened")
        .description("Connections the gateway opened to the upstream, one handshake each, by transport: tcp "
            + "(HTTP/1.1, HTTP/2) or quic (HTTP/3: one handshake for transport and TLS).")
        .tag("protocol", protocol)
        .register(registry);
  }

  /** @param protocol "tcp" or "quic" */
  public void connectionOpened(String protocol) {
    ("quic".equals(protocol) ? openedQuic : openedTcp).increment();
    active.incrementAndGet();
  }

  /** @param handshake a new upstream connection's TLS handshake (ConnectionTracker), null for plain HTTP */
  public void tlsHandshake(TlsHandshake handshake) {
    tlsHandshakes.record(handshake);
  }

  /** @param closedBy "local" when the gateway closed it, "remote" when the upstream did */
  public void connectionClosed(String closedBy, int requestsServed) {
    active.decrementAndGet();
    closedCounter(closedBy).increment();
    requestsPerConnection.record(requestsServed);
  }

  /** @param outcome "success" or the error kind (connection_closed, timeout, http_5xx, …) */
  public void upstreamCall(String outcome, long durationNanos) {
    ("success".equals(outcome) ? upstreamSuccess : upstreamCounter(outcome)).increment();
    upstreamDuration.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** @param outcome "success", "upstream_error", "bad_request", … */
  public void fanout(String outcome, long durationNanos) {
    ("success".equals(outcome) ? fanoutSuccess : fanoutCounter(outcome)).increment();
    if (durationNanos >= 0) {
      fanoutDuration.record(durationNanos, TimeUnit.NANOSECONDS);
    }
  }

  public long activeConnections() {
    return active.get();
  }

  private Counter closedCounter(String by) {
    return closed.computeIfAbsent(by, b -> Counter.builder("gateway.upstream.connections.closed")
        .description("Connections to the upstream that closed, by who closed them: local (the gateway: keep-alive "
            + "off, idle keep-alive timeout, shutdown) or remote (the upstream: idle timeout, Connection: close, crash).")
        .tag("closed_by", b)
        .register(registry));
  }

  private Counter upstreamCounter(String outcome) {
    return upstreamRequests.computeIfAbsent(outcome, o -> Counter.builder("gateway.upstream.requests")
        .description("Upstream calls the gateway made, by outcome: success or the kind of failure; abandoned = dropped "
            + "unsent because its fan-out had been answered (deadline) while it waited for a connection.")
        .tag("outcome", o)
        .register(registry));
  }

  private Counter fanoutCounter(String outcome) {
    return fanouts.computeIfAbsent(outcome, o -> Counter.builder("gateway.fanout.requests")
        .description("Incoming /fanout requests the gateway answered, by outcome.")
        .tag("outcome", o)
        .register(registry));
  }
}
