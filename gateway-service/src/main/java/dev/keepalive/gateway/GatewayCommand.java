package dev.keepalive.gateway;

import dev.keepalive.common.server.ServerLimits;
import dev.keepalive.common.TransportChoice;
import dev.keepalive.common.tls.TlsEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The gateway's flags; each is also read from a GATEWAY_* environment variable. */
@Command(name = "gateway-service", mixinStandardHelpOptions = true, sortOptions = false, version = "gateway-service 1.0.0",
    description = "A gateway that answers each request with a fan-out of upstream calls through one configurable client.",
    footer = {"", "Every flag can also be set by an environment variable: GATEWAY_ and the flag's name in "
        + "upper case, e.g. GATEWAY_POOL_SIZE=10. A flag on the command line wins.",
        "Durations: a whole number and a unit (us, ms, s, m, h), e.g. 250ms, 5s."})
public final class GatewayCommand implements Callable<GatewayConfig> {

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--upstream", defaultValue = "http://localhost:8081", converter = UpstreamEndpoints.Converter.class,
      description = "Upstream base URL, http:// or https:// (TLS); calls go to <upstream>/item/<n>. Several replicas: several URLs, "
          + "comma-separated, or one name whose DNS A records are the replicas, with --load-balancer (default: ${DEFAULT-VALUE}).")
  UpstreamEndpoints upstream;

  @Option(names = "--fan-out", defaultValue = "100", description = "Upstream calls per /fanout request (default: ${DEFAULT-VALUE}).")
  int fanOut;

  @Option(names = "--max-fan-out", defaultValue = "1000", description = "Largest ?calls=N a request may ask for (default: ${DEFAULT-VALUE}).")
  int maxFanOut;

  @Option(names = "--keep-alive", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Reuse upstream connections; false opens one per call (default: ${DEFAULT-VALUE}).")
  boolean keepAlive;

  @Option(names = "--pool-size", defaultValue = "10",
      description = "Most connections open to each upstream endpoint (replica) at once (HTTP/1.1 and HTTP/2): with --instances N "
          + "each event loop owns its share (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(names = "--keep-alive-timeout", defaultValue = "4s",
      description = "Close a connection idle this long; keep it below the upstream's idle timeout (default: ${DEFAULT-VALUE}).")
  Duration keepAliveTimeout;

  @Option(names = "--http2", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Speak HTTP/2: many calls multiplexed on one connection; cleartext with prior knowledge, or h2 by "
          + "ALPN to an https:// upstream (default: ${DEFAULT-VALUE}).")
  boolean http2;

  @Option(names = "--pipelining", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "HTTP/1.1 pipelining: send requests without waiting for earlier responses (default: ${DEFAULT-VALUE}).")
  boolean pipelining;

  @Option(names = "--pipelining-limit", defaultValue = "10",
      description = "Requests in flight on one pipelined connection (default: ${DEFAULT-VALUE}).")
  int pipeliningLimit;

  @Option(names = "--max-wait-queue", defaultValue = "10000",
      description = "Calls that may wait for a pooled connection (in total, split like --pool-size); beyond it they fail "
          + "as pool_busy; -1 = unbounded (default: ${DEFAULT-VALUE}).")
  int maxWaitQueue;

  @Option(names = "--connect-timeout", defaultValue = "1s", description = "TCP connect timeout per connection (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = "--request-timeout", defaultValue = "2s",
      description = "Fail a call when the upstream sends nothing for this long once it is sent (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  @Option(names = "--fanout-timeout", defaultValue = "5s",
      description = "Deadline for a whole fan-out; past it the answer is 504 with what completed (default: ${DEFAULT-VALUE}).")
  Duration fanoutTimeout;

  @Option(names = "--retry", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Retry once a call that failed on a reused connection before any response byte (the stale "
          + "keep-alive race, or pipelined calls a closing connection never answered) (default: ${DEFAULT-VALUE}).")
  boolean retry;

  @Option(names = "--max-concurrent-fanouts", defaultValue = "64",
      description = "Fan-outs in progress at once; beyond it the answer is 503 with Retry-After (default: ${DEFAULT-VALUE}).")
  int maxConcurrentFanouts;

  @Option(names = "--shutdown-grace", defaultValue = "10s",
      description = "On SIGTERM, time given to fan-outs in progress before connections are closed (default: ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Option(names = "--instances", defaultValue = "1",
      description = "Verticle instances (event loops) serving the port, each with its share of --pool-size and "
          + "--max-wait-queue; one is fastest on 2 cores (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--metrics-port", defaultValue = "-1",
      description = "Serve /metrics on this port instead of --port; -1 = same port (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|nio|epoll|io_uring|kqueue",
      description = "Netty transport of the event loops; auto takes the fastest this machine can run (io_uring, then "
          + "epoll, then NIO). One not available here runs on NIO with a log line saying why (default: ${DEFAULT-VALUE}).")
  TransportChoice transport;
  @Option(names = "--tls-trust", paramLabel = "FILE",
      description = "PEM certificate(s) to trust for an https:// upstream, e.g. the upstream's --tls-cert-out "
          + "(default: the JDK's CA certificates).")
  Path tlsTrust;

  @Option(names = "--tls-trust-all", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "FOR THE LAB ONLY: trust any upstream certificate and skip the host name check; anyone on the path "
          + "can read and change the traffic (default: ${DEFAULT-VALUE}).")
  boolean tlsTrustAll;

  @Option(names = "--tls-session-resumption", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Resume TLS sessions on new upstream connections; false makes every handshake full "
          + "(default: ${DEFAULT-VALUE}).")
  boolean tlsSessionResumption;

  @Option(names = "--tls-engine", defaultValue = "openssl",
      description = "TLS implementation: openssl (BoringSSL via netty-tcnative) or jdk (default: ${DEFAULT-VALUE}).")
  TlsEngine tlsEngine;

  @Option(names = "--admission", defaultValue = "adaptive", converter = AdmissionSettings.ModeConverter.class,
      description = "fixed: admit up to --max-concurrent-fanouts at once; adaptive: a limit that follows what the "
          + "upstream path finishes before the deadline, at most --max-concurrent-fanouts (default: ${DEFAULT-VALUE}).")
  AdmissionSettings.Mode admission;

  @Option(names = "--admission-algorithm", defaultValue = "vegas", converter = AdmissionSettings.AlgorithmConverter.class,
      description = "The adaptive limit's algorithm: vegas, gradient2 or aimd (default: ${DEFAULT-VALUE}).")
  AdmissionSettings.Algorithm admissionAlgorithm;

  @Option(names = "--admission-initial-limit", defaultValue = "4",
      description = "Where the adaptive limit starts (default: ${DEFAULT-VALUE}).")
  int admissionInitialLimit;

  @Option(names = "--idle-timeout", defaultValue = "5s",
      description = "Close a client's keep-alive connection idle this long between requests, as Node's keepAliveTimeout; "
          + "0 keeps it (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--headers-timeout", defaultValue = "10s",
      description = "Answer 408 and close a connection whose request line and headers are not complete this long after "
          + "it opened, as Node's headersTimeout; 0 = no limit (default: ${DEFAULT-VALUE}).")
  Duration headersTimeout;

  @Option(names = "--max-client-connections", defaultValue = "10000",
      description = "Client connections open at once; beyond it a new connection is closed at once; 0 = unlimited "
          + "(default: ${DEFAULT-VALUE}).")
  int maxClientConnections;
  @Option(names = "--dns-cache-ttl", defaultValue = "5s",
      description = "Longest time a resolved upstream address is trusted, whatever the DNS answer's TTL says, so a "
          + "re-created upstream is found at its new address; whole seconds (default: ${DEFAULT-VALUE}).")
  Duration dnsCacheTtl;

  @Option(names = "--dns-servers", split = ",", paramLabel = "HOST:PORT",
      description = "DNS servers to ask instead of the system's (/etc/resolv.conf), comma-separated (default: the system's).")
  List<String> dnsServers = List.of();

  @Option(names = "--upstream-health-url", converter = UpstreamAddress.Converter.class, paramLabel = "URL",
      description = "Where /health probes the upstream when no call told its state lately, e.g. the upstream's "
          + "--metrics-port, so probes do not count as upstream connections (default: <upstream>/health).")
  UpstreamAddress upstreamHealthUrl;

  @Option(names = "--load-balancer", converter = LoadBalancing.Converter.class, paramLabel = "none|round-robin|least-requests|power-of-two-choices",
      description = "How calls are spread over the upstream's endpoints; each endpoint has a pool of its own. "
          + "With one --upstream name whose DNS gives several addresses, anything but none balances over all of them "
          + "(default: round-robin with several URLs, none with one).")
  LoadBalancing loadBalancer;

  @Option(names = "--max-connection-age", defaultValue = "0s",
      description = "Drain an upstream connection this old (plus or minus 10 %% jitter): its call in flight finishes "
          + "(HTTP/2: GOAWAY), then it closes and the balancer opens a new one, maybe to a new replica; 0 = never; "
          + "not with --http3 (Vert.x 5.1.6 loses the calls in flight) (default: ${DEFAULT-VALUE}).")
  Duration maxConnectionAge;

  @Option(names = "--http3", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Speak HTTP/3 over QUIC (UDP) to an https:// upstream started with --http3: one handshake for "
          + "transport and TLS, calls multiplexed on --pool-size QUIC connections (default: ${DEFAULT-VALUE}).")
  boolean http3;

  @Override
  public GatewayConfig call() {
    return new GatewayConfig(host, port, upstream.primary(), fanOut, maxFanOut, keepAlive, poolSize, keepAliveTimeout, http2,
        pipelining, pipeliningLimit, maxWaitQueue, connectTimeout, requestTimeout, fanoutTimeout, retry, maxConcurrentFanouts, shutdownGrace, instances, metricsPort, transport,
        new TlsSettings(tlsTrust, tlsTrustAll, tlsSessionResumption, tlsEngine),
        new AdmissionSettings(admission, admissionAlgorithm, admissionInitialLimit),
        new ServerLimits(idleTimeout, headersTimeout, maxClientConnections),
        new UpstreamDiscovery(dnsCacheTtl, dnsServers, upstreamHealthUrl),
        new UpstreamReplicas(upstream, loadBalancer, maxConnectionAge),
        http3);
  }

  static String envPrefix() {
    return "GATEWAY_";
  }
}
