package bench.peers.webflux;

import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** The WebClient to the upstream, configured like the gateway's client for each configuration of the benchmark. */
final class UpstreamWebClient {
  private UpstreamWebClient() {
  }

  static WebClient create(PeerSettings settings) {
    // As many connections as the gateway gets, and an unbounded queue of calls waiting for one (the gateway runs with
    // --max-wait-queue -1): Reactor Netty's default queue (twice the connections) would fail most of a fan-out of 100.
    ConnectionProvider pool = ConnectionProvider.builder("upstream")
        .maxConnections(settings.poolSize())
        .pendingAcquireMaxCount(-1)
        .pendingAcquireTimeout(Duration.ofSeconds(60))
        .build();
    HttpClient http = HttpClient.create(pool).baseUrl(settings.upstream());
    http = switch (settings.mode()) {
      case KEEPALIVE -> http;
      // Sends Connection: close and closes each connection after its response; still at most poolSize at a time.
      case CLOSE -> http.keepAlive(false);
      // h2c with prior knowledge (no HTTP/1.1 upgrade), as the gateway's --http2; the streams per connection are the
      // upstream's SETTINGS_MAX_CONCURRENT_STREAMS (100).
      case HTTP2 -> http.protocol(HttpProtocol.H2C);
      case PIPELINED -> throw new IllegalStateException("rejected by PeerSettings");
    };
    return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
  }
}
