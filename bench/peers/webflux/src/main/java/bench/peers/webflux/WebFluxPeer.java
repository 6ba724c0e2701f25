package bench.peers.webflux;

import io.netty.channel.socket.SocketChannel;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.http.HttpResources;

/**
 * Benchmark harness, not part of the product: the Spring WebFlux peer gateway of {@code scripts/bench --peers}.
 * Spring Boot's defaults (Reactor Netty server and client on the shared event loops, native epoll on Linux) with the
 * upstream client sized like the gateway's ({@link UpstreamWebClient}).
 *
 * <pre>
 * java -jar bench/peers/webflux/target/webflux-peer.jar --server.port=8092 --peer.upstream=http://127.0.0.1:8081 \
 *   --peer.fan-out=100 --peer.pool-size=10 --peer.mode=keepalive|close|http2
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(PeerSettings.class)
public class WebFluxPeer {

  public static void main(String[] args) {
    SpringApplication.run(WebFluxPeer.class, args);
  }

  @Bean
  RouterFunction<ServerResponse> routes(PeerSettings settings) {
    FanoutHandler fanout = new FanoutHandler(UpstreamWebClient.create(settings), settings.fanOut());
    return RouterFunctions.route()
        .GET("/fanout", fanout::fanout)
        .GET("/health", request -> ServerResponse.ok().bodyValue("ok"))
        .build();
  }

  /** The start line scripts/bench reads: port, transport, configuration. */
  @Bean
  ApplicationListener<WebServerInitializedEvent> startLine(PeerSettings settings) {
    return event -> System.out.println("webflux peer listening on http://127.0.0.1:" + event.getWebServer().getPort()
        + " transport " + transport() + " mode " + settings.mode().name().toLowerCase(Locale.ROOT)
        + " pool " + settings.poolSize() + " fan-out " + settings.fanOut() + " upstream " + settings.upstream());
  }

  /** The Netty transport of Reactor Netty's shared event loops: epoll, io_uring, kqueue or nio. */
  private static String transport() {
    HttpResources loops = HttpResources.get();
    String channel = loops.onChannelClass(SocketChannel.class, loops.onClient(true)).getSimpleName();
    return channel.replace("SocketChannel", "").replace("IoUring", "io_uring").toLowerCase(Locale.ROOT);
  }
}
