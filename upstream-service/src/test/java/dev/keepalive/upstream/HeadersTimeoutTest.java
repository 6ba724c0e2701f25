package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keepalive.common.testing.RawConnection;
import dev.keepalive.common.testing.SlowClients;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream's --headers-timeout, with h2c still on (the gateway's --http2 speaks it): connections whose first
 * request line and headers never complete are answered 408 and closed, while HTTP/1.1 and h2c clients are served.
 * Counts, and lower bounds on time only.
 */
class HeadersTimeoutTest {

  static double headersTimeouts(UpstreamServer upstream) {
    return upstream.registry().get("upstream.connections.headers.timeout").counter().count();
  }

  @Test
  void threeHundredHalfRequestsAreAnswered408AndClosedWhileHttp11AndH2cAreServed() throws Exception {
    Duration headersTimeout = Duration.ofSeconds(2);
    Vertx vertx = Vertx.vertx();
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults()
        .withIdleTimeout(Duration.ofSeconds(60), true).withHeadersTimeout(headersTimeout)).await();
    try (RawConnection served = new RawConnection(upstream.port())) {
      AtomicInteger h2cConnections = new AtomicInteger();
      HttpClientAgent h2c = vertx.httpClientBuilder().with(new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
          .setDefaultHost("127.0.0.1").setDefaultPort(upstream.port()))
          .withConnectHandler(c -> h2cConnections.incrementAndGet()).build();
      SlowClients.halfRequestsAreAnswered408AndClosed(upstream.port(), "/item/1", 300, headersTimeout, () -> {
        assertThat(served.get("/item/1")).as("HTTP/1.1 meanwhile").startsWith("HTTP/1.1 200");
        var answer = h2c.request(HttpMethod.GET, "/item/2").compose(r -> r.send())
            .await(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as("h2c with prior knowledge meanwhile").isEqualTo(200);
        assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
      });
      // Open longer than the headers timeout by now, but its first request was complete: not closed by it.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - served.openedNanos))
          .isGreaterThanOrEqualTo(headersTimeout.toMillis());
      assertThat(served.get("/item/3")).as("a served keep-alive connection stays open").startsWith("HTTP/1.1 200");
      assertThat(h2c.request(HttpMethod.GET, "/item/4").compose(r -> r.send()).await(10, TimeUnit.SECONDS)
          .statusCode()).isEqualTo(200);
      assertThat(h2cConnections.get()).as("the h2c connection, past the timeout too, was kept").isEqualTo(1);
      assertThat(headersTimeouts(upstream)).isEqualTo(300);
    } finally {
      upstream.close().await();
      vertx.close().await();
    }
  }

  @Test
  void slowhttptestSlowlorisConnectionsAreAllClosedAndTheUpstreamStaysAvailable(@TempDir Path dir) throws Exception {
    // Vert.x's own idle timeout would not help: slowloris sends a header line every second.
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults()
        .withIdleTimeout(Duration.ofSeconds(5), true).withHeadersTimeout(Duration.ofSeconds(3))).await();
    try {
      SlowClients.slowlorisIsClosedAndTheServerStaysAvailable(upstream.baseUrl() + "/health", 200, dir);
      assertThat(headersTimeouts(upstream)).isGreaterThanOrEqualTo(200);
    } finally {
      upstream.close().await();
    }
  }

  @Test
  void zeroTurnsItOff() throws Exception {
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults()
        .withIdleTimeout(Duration.ofSeconds(60), true).withHeadersTimeout(Duration.ZERO)).await();
    try (RawConnection half = new RawConnection(upstream.port())) {
      assertThat(upstream.config().toJson().getString("headersTimeout")).isEqualTo("off");
      half.send(SlowClients.halfRequest("/item/1"));
      half.socket.setSoTimeout(1500);
      assertThatThrownBy(() -> half.socket.getInputStream().read()).as("held, no answer")
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(headersTimeouts(upstream)).isZero();
    } finally {
      upstream.close().await();
    }
  }
}
