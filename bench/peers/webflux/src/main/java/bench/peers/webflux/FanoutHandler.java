package bench.peers.webflux;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /fanout}: fanOut GETs of {@code /item/1..fanOut} on the upstream, all in flight at once, bodies drained
 * and dropped; answers {@code {"calls":N,"succeeded":M}}, 200 when every call got a 200, else 502 (as the gateway and
 * bench/BareGateway.java do).
 */
final class FanoutHandler {
  private final WebClient upstream;
  private final int fanOut;
  private final AtomicInteger failuresLogged = new AtomicInteger();

  FanoutHandler(WebClient upstream, int fanOut) {
    this.upstream = upstream;
    this.fanOut = fanOut;
  }

  Mono<ServerResponse> fanout(ServerRequest request) {
    return Flux.range(1, fanOut)
        .flatMap(this::call, fanOut)
        .reduce(0, Integer::sum)
        .flatMap(ok -> ServerResponse.status(ok == fanOut ? 200 : 502)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"calls\":" + fanOut + ",\"succeeded\":" + ok + "}"));
  }

  /** 1 for a 200, 0 for any other status or a failed call (the first few failures logged, to tell why). */
  private Mono<Integer> call(int i) {
    return upstream.get().uri("/item/{i}", i)
        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value() == 200 ? 1 : 0))
        .onErrorResume(e -> {
          if (failuresLogged.incrementAndGet() <= 5) {
            System.err.println("webflux peer: upstream call failed: " + e);
          }
          return Mono.just(0);
        });
  }
}
