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
import java.util.function.IntSupplier;

/**
 * Every metric the gateway defines, recorded here and nowhere else. Named after Envoy's cluster
 * statistics: opened = upstream_cx_total, active = upstream_cx_active, closed by local/remote =
 * upstream_cx_destroy_local/_remote, requests per connection = upstream_rq_per_cx. The connection series carry
 * an {@code endpoint} label (the replica, ip:port), as Envoy's per-host statistics do; sum them for the upstream.
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> upstreamRequests = new ConcurrentHashMap<>();
  private final Timer upstreamDuration;
  // Looked up once: recorded on every upstream call.
  private final Counter upstreamSuccess;
  private final Counter fanoutSuccess;
  private final ConcurrentHashMap<String, Counter> fanouts = new ConcurrentHashMap<>();
  private final Timer fanoutDuration;
  private final ConcurrentHashMap<String, Counter> retries = new ConcurrentHashMap<>();
  private final TlsHandshakeCounter tlsHandshakes;
  private final Counter shed;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.upstreamDuration = Timer.builder("gateway.upstream.request.duration")
        .description("Latency of one upstream call as the gateway sees it: pool wait, connect if any, request and response.")
        .register(registry);
    this.fanoutDuration = Timer.builder("gateway.fanout.duration")
        .description("Latency of one incoming /fanout request: all its upstream calls, end to end.")
        .register(registry);
    this.tlsHandshakes = new TlsHandshakeCounter(registry, "gateway.upstream.tls.handshakes",
        "the gateway's connections to the upstream");
    this.upstreamSuccess = upstreamCounter("success");
    this.fanoutSuccess = fanoutCounter("success");
    this.shed = Counter.builder("gateway.admission.shed")
        .description("Fan-outs refused at once with 503 and Retry-After because the admission limit was reached.")
        .register(registry);
    retryCounter("stale_connection");
    retryCounter("unanswered_pipelined");
    retryCounter("refused_stream");
    retryCounter("http3_lost_end");
  }

  /** The admission limit and the fan-outs it admitted that are running now (AdaptiveAdmission, FanOutLimiter). */
  public void admission(java.util.function.IntSupplier limit, java.util.function.IntSupplier inFlight) {
    Gauge.builder("gateway.admission.limit", limit, IntSupplier::getAsInt)
        .description("Fan-outs the gateway admits at once now: --max-concurrent-fanouts with --admission fixed, "
            + "else the adaptive limit (at most that).")
        .strongReference(true) // the supplier is a method reference nothing else keeps
        .register(registry);
    Gauge.builder("gateway.admission.in.flight", inFlight, IntSupplier::getAsInt)
        .description("Admitted fan-outs in progress now.")
        .strongReference(true)
        .register(registry);
  }

  /** A fan-out refused at once (503) because the admission limit was reached. */
  public void shed() {
    shed.increment();
  }

  /**
   * @param reason "stale_connection" (keep-alive race), "unanswered_pipelined", "refused_stream" (HTTP/2) or
   *     "connect_refused" (another replica tried)
   */
  public void retry(String reason) {
    retryCounter(reason).increment();
  }

  private Counter retryCounter(String reason) {
    return retries.computeIfAbsent(reason, r -> Counter.builder("gateway.upstream.retries")
        .description("Upstream calls sent a second time because they failed on a reused connection before any "
            + "response byte: stale_connection (the server closed an idle keep-alive connection as the call left) or "
            + "unanswered_pipelined (a closing connection dropped pipelined calls) or refused_stream (an HTTP/2 "
            + "server refused the stream, with GOAWAY or REFUSED_STREAM, so never processed it), or connect_refused (one "
            + "replica refused the connect: sent to another).")
        .tag("reason", r)
        .register(registry));
  }

  /** The meters of one upstream endpoint (a replica), registered when the gateway first connects to it. */
  public final class Endpoint {
    private final String name;
    private final Counter openedTcp;
    private final Counter openedQuic;
    private final AtomicLong active = new AtomicLong();
    private final Counter requests;
    private final DistributionSummary requestsPerConnection;
    private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();

    private Endpoint(String name) {
      this.name = name;
      // Both transports' series exist from the first connection to the endpoint.
      this.openedTcp = openedCounter("tcp");
      this.openedQuic = openedCounter("quic");
      Gauge.builder("gateway.upstream.connections.active", active, AtomicLong::get)
          .description("Connections from the gateway to the upstream that are open now, by endpoint (bounded by the "
              + "pool size per endpoint).")
          .tag("endpoint", name)
          .register(registry);
      this.requests = Counter.builder("gateway.upstream.endpoint.requests")
          .description("Upstream requests sent, by the endpoint (replica) whose connection carried them (Envoy's per-host "
              + "rq_total); outcomes are in gateway_upstream_requests_total.")
          .tag("endpoint", name)
          .register(registry);
      this.requestsPerConnection = DistributionSummary.builder("gateway.upstream.requests.per.connection")
          .description("Upstream requests each connection carried, recorded when it closes, by endpoint: 1 without keep-alive.")
          .tag("endpoint", name)
          .register(registry);
      for (String by : new String[] {"local", "remote", "max_age"}) {
        closedCounter(by);
      }
    }

    public String name() {
      return name;
    }

    private Counter openedCounter(String protocol) {
      return Counter.builder("gateway.upstream.connections.opened")
          .description("Connections the gateway opened to the upstream, one handshake each, by endpoint (replica) and "
              + "transport: tcp (HTTP/1.1, HTTP/2) or quic (HTTP/3: one handshake for transport and TLS).")
          .tag("endpoint", name)
          .tag("protocol", protocol)
          .register(registry);
    }

    private Counter closedCounter(String by) {
      return closed.computeIfAbsent(by, b -> Counter.builder("gateway.upstream.connections.closed")
          .description("Connections to the upstream that closed, by endpoint and by who closed them: local (the gateway: "
              + "keep-alive off, idle keep-alive timeout, shutdown), remote (the upstream: idle timeout, Connection: close, "
              + "crash) or max_age (drained by the gateway at --max-connection-age).")
          .tag("endpoint", name)
          .tag("closed_by", b)
          .register(registry));
    }
  }

  /** @param handshake a new upstream connection's TLS handshake (ConnectionTracker), null for plain HTTP */
  public void tlsHandshake(TlsHandshake handshake) {
    tlsHandshakes.record(handshake);
  }

  /** The meters of the endpoint named {@code ip:port}, created on first use. */
  public Endpoint endpoint(String name) {
    Endpoint e = endpoints.get(name);
    return e != null ? e : endpoints.computeIfAbsent(name, Endpoint::new);
  }

  /** @param protocol "tcp" or "quic" */
  public void connectionOpened(Endpoint endpoint, String protocol) {
    ("quic".equals(protocol) ? endpoint.openedQuic : endpoint.openedTcp).increment();
    endpoint.active.incrementAndGet();
  }

  /** A request was written on a connection to the endpoint. */
  public void requestSent(Endpoint endpoint) {
    endpoint.requests.increment();
  }

  /** @param closedBy "local" when the gateway closed it, "remote" when the upstream did, "max_age" when drained for its age */
  public void connectionClosed(Endpoint endpoint, String closedBy, int requestsServed) {
    endpoint.active.decrementAndGet();
    endpoint.closedCounter(closedBy).increment();
    endpoint.requestsPerConnection.record(requestsServed);
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
