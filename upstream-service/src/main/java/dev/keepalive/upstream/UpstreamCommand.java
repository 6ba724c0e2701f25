package dev.keepalive.upstream;

import dev.keepalive.common.Cli;
import dev.keepalive.common.TransportChoice;
import dev.keepalive.common.tls.TlsEngine;
import dev.keepalive.common.tls.TlsVersions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The upstream's flags; each is also read from an UPSTREAM_* environment variable. */
@Command(name = "upstream-service", mixinStandardHelpOptions = true, sortOptions = false, version = "upstream-service 1.0.0",
    description = "An upstream HTTP service with realistic service time, errors and keep-alive behaviour.",
    footer = {"", "Every flag can also be set by an environment variable: UPSTREAM_ and the flag's name in "
        + "upper case, e.g. UPSTREAM_IDLE_TIMEOUT=5s. A flag on the command line wins.",
        "Durations: a whole number and a unit (us, ms, s, m, h), e.g. 250ms, 5s."})
public final class UpstreamCommand implements Callable<UpstreamConfig> {

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8081", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--delay", defaultValue = "1ms", converter = Delay.Converter.class,
      description = "Service time per request: fixed (2ms), uniform:MIN-MAX (uniform:1ms-5ms) or exp:MEAN (exp:2ms); "
          + "1 ms resolution (default: ${DEFAULT-VALUE}).")
  Delay delay;

  @Option(names = "--response-size", defaultValue = "128", description = "Approximate JSON body size in bytes (default: ${DEFAULT-VALUE}).")
  int responseSize;

  @Option(names = "--error-rate", defaultValue = "0", description = "Fraction of requests answered 500, 0 to 1 (default: ${DEFAULT-VALUE}).")
  double errorRate;

  @Option(names = "--idle-timeout", defaultValue = "5s",
      description = "Server keep-alive timeout: idle connections are closed after this; 0 keeps them (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--advertise-keep-alive", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Send 'Keep-Alive: timeout=N' so clients retire idle connections first, as Node does (default: ${DEFAULT-VALUE}).")
  boolean advertiseKeepAlive;

  @Option(names = "--max-requests-per-connection", defaultValue = "0",
      description = "After N requests on a connection answer 'Connection: close' and close it; 0 = unlimited (default: ${DEFAULT-VALUE}).")
  int maxRequestsPerConnection;

  @Option(names = "--max-concurrent-streams", defaultValue = "100",
      description = "HTTP/2 streams a client may have open on one connection (default: ${DEFAULT-VALUE}).")
  int maxConcurrentStreams;

  @Option(names = "--instances", defaultValue = "2", description = "Verticle instances (event loops) serving the port (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--metrics-port", defaultValue = "-1",
      description = "Serve /metrics on this port instead of --port, so scrapes do not count as connections; -1 = same port (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|nio|epoll|io_uring|kqueue",
      description = "Netty transport of the event loops; auto takes the fastest this machine can run (io_uring, then "
          + "epoll, then NIO). One not available here runs on NIO with a log line saying why (default: ${DEFAULT-VALUE}).")
  TransportChoice transport;
  @Option(names = "--tls", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Serve HTTPS on --port (HTTP/2 and HTTP/1.1 by ALPN); without --tls-cert a certificate is generated "
          + "at start for localhost, loopback and this machine's name (default: ${DEFAULT-VALUE}).")
  boolean tls;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (chain) to serve, with --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert (unencrypted).")
  Path tlsKey;

  @Option(names = "--tls-cert-out", paramLabel = "FILE",
      description = "Write the certificate served (PEM) here, for a client to trust, e.g. the gateway's --tls-trust.")
  Path tlsCertOut;

  @Option(names = "--tls-versions", defaultValue = "1.2,1.3", converter = TlsVersions.Converter.class,
      description = "TLS versions accepted: 1.2, 1.3 or both (default: ${DEFAULT-VALUE}).")
  TlsVersions tlsVersions;

  @Option(names = "--tls-engine", defaultValue = "openssl",
      description = "TLS implementation: openssl (BoringSSL via netty-tcnative) or jdk (default: ${DEFAULT-VALUE}).")
  TlsEngine tlsEngine;

  @Option(names = "--tls-session-resumption", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Let clients resume TLS sessions (tickets and session ids); =false: every handshake is full, "
          + "with either engine (default: ${DEFAULT-VALUE}).")
  boolean tlsSessionResumption;

  @Option(names = "--http3", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Also serve HTTP/3 (QUIC, UDP) on the same port number, advertised by an Alt-Svc header; "
          + "needs --tls (default: ${DEFAULT-VALUE}).")
  boolean http3;

  @Option(names = "--headers-timeout", defaultValue = "10s",
      description = "Answer 408 and close a connection whose request line and headers are not complete this long after "
          + "it opened (first request) or after the request's first bytes (later ones), as Node's headersTimeout; "
          + "0 = no limit (default: ${DEFAULT-VALUE}).")
  Duration headersTimeout;

  @Override
  public UpstreamConfig call() {
    return new UpstreamConfig(host, port, delay, responseSize, errorRate, idleTimeout, advertiseKeepAlive,
        maxRequestsPerConnection, maxConcurrentStreams, instances, metricsPort, transport,
        new TlsSettings(tls, tlsCert, tlsKey, tlsCertOut, tlsVersions, tlsEngine, tlsSessionResumption), http3,
        headersTimeout);
  }

  static String envPrefix() {
    return "UPSTREAM_";
  }

  static String envName(String flag) {
    return Cli.envName(envPrefix(), flag);
  }
}
