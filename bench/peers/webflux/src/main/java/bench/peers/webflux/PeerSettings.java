package bench.peers.webflux;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The peer's whole configuration, from {@code --peer.upstream=...} flags or {@code PEER_UPSTREAM}, {@code PEER_FANOUT},
 * {@code PEER_POOLSIZE}, {@code PEER_MODE} variables (the port is Spring's {@code --server.port}).
 *
 * @param upstream base URL of the upstream, whose {@code GET /item/{i}} each fan-out calls for i = 1..fanOut
 * @param fanOut upstream calls per {@code GET /fanout}, all in flight at once
 * @param poolSize connections to the upstream (HTTP/2: connections, each carrying the server's stream limit)
 * @param mode how those connections are used, one of the benchmark's configurations
 */
@ConfigurationProperties("peer")
public record PeerSettings(
    @DefaultValue("http://127.0.0.1:8081") String upstream,
    @DefaultValue("100") int fanOut,
    @DefaultValue("10") int poolSize,
    @DefaultValue("keepalive") Mode mode) {

  public enum Mode { KEEPALIVE, CLOSE, HTTP2, PIPELINED }

  public PeerSettings {
    if (fanOut < 1) {
      throw new IllegalArgumentException("peer.fan-out must be at least 1, not " + fanOut);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("peer.pool-size must be at least 1, not " + poolSize);
    }
    if (mode == Mode.PIPELINED) {
      // Reactor Netty's HTTP client sends one request per HTTP/1.1 connection at a time: no pipelining to compare.
      throw new IllegalArgumentException("peer.mode pipelined is not available: Reactor Netty's HTTP client does not "
          + "pipeline HTTP/1.1 requests (scripts/bench shows n/a)");
    }
  }
}
