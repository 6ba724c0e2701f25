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
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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

  /**
   * Every request's headers are timed, not only a connection's first: a kept-alive connection that served a request
   * and then sends half of the next one gets a 408 and a close once --headers-timeout has passed since those bytes
   * (its 60 s idle timeout would never fire while bytes keep coming); a connection left idle as long is not closed.
   */
  @Test
  void aLaterRequestsHalfSentHeadersAreAnswered408AfterTheHeadersTimeout() throws Exception {
    Duration headersTimeout = Duration.ofSeconds(2);
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults()
        .withIdleTimeout(Duration.ofSeconds(60), true).withHeadersTimeout(headersTimeout)).await();
    try (RawConnection idle = new RawConnection(upstream.port());
        RawConnection c = new RawConnection(upstream.port())) {
      assertThat(idle.get("/item/1")).startsWith("HTTP/1.1 200");
      assertThat(c.get("/item/1")).startsWith("HTTP/1.1 200");
      assertThat(c.get("/item/2")).as("a whole later request is served").startsWith("HTTP/1.1 200");
      c.send(SlowClients.halfRequest("/item/3"));
      long sent = System.nanoTime();
      String answer = c.readUntilClosed(headersTimeout.plusSeconds(20));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"status\":408").contains("--headers-timeout");
      assertThat(waitedMs).as("not closed before the headers timeout").isGreaterThanOrEqualTo(
          headersTimeout.toMillis() - 20);
      assertThat(headersTimeouts(upstream)).isEqualTo(1);
      assertThat(idle.get("/item/4")).as("an idle connection is not timed by --headers-timeout")
          .startsWith("HTTP/1.1 200");
    } finally {
      upstream.close().await();
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

  /** Over TLS the connection handler runs after the handshake, so there the first request stops the timer. */
  @Test
  void overTlsAHalfRequestIsAnswered408AndAServedConnectionIsKept() throws Exception {
    Duration headersTimeout = Duration.ofSeconds(2);
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults().withTls(TlsSettings.generated())
        .withIdleTimeout(Duration.ofSeconds(60), true).withHeadersTimeout(headersTimeout)).await();
    long opened = System.nanoTime(); // the timer starts at the TCP accept, before the handshake
    try (SSLSocket half = tls(upstream.port())) {
      long servedOpened = System.nanoTime();
      SSLSocket served = tls(upstream.port());
      write(half, SlowClients.halfRequest("/item/1"));
      write(served, "GET /item/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(readResponse(served)).startsWith("HTTP/1.1 200");
      String answer = new String(half.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("--headers-timeout");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened)).isGreaterThanOrEqualTo(
          headersTimeout.toMillis() - 20);
      // Past the served connection's own deadline (a second more): no 408, no close.
      long servedDeadline = servedOpened + headersTimeout.toNanos() - System.nanoTime();
      served.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(servedDeadline)) + 1000);
      assertThatThrownBy(() -> served.getInputStream().read()).as("the served connection is still open")
          .isInstanceOf(SocketTimeoutException.class);
      served.setSoTimeout(30_000);
      write(served, "GET /item/2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(readResponse(served)).startsWith("HTTP/1.1 200");
      served.close();
      assertThat(headersTimeouts(upstream)).isEqualTo(1);
    } finally {
      upstream.close().await();
    }
  }

  private static SSLSocket tls(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {} // the test's own upstream

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    socket.startHandshake();
    return socket;
  }

  private static void write(SSLSocket socket, String text) throws Exception {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** One response: its head, then Content-Length bytes of body, so nothing is left to read after it. */
  private static String readResponse(SSLSocket socket) throws Exception {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = socket.getInputStream().read();
      if (b < 0) break;
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    return head + new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void zeroTurnsItOff() throws Exception {
    UpstreamServer upstream = UpstreamServer.start(UpstreamConfig.defaults()
        .withIdleTimeout(Duration.ofSeconds(60), true).withHeadersTimeout(Duration.ZERO)).await();
    try (RawConnection half = new RawConnection(upstream.port())) {
      assertThat(upstream.config().toJson().getString("headersTimeout")).isEqualTo("off");
      half.send(SlowClients.halfRequest("/item/1"));
      // Past the 10 s default with a margin: a zero taken for "use the default" would answer 408 by then.
      half.socket.setSoTimeout(12_000);
      assertThatThrownBy(() -> half.socket.getInputStream().read()).as("held, no answer")
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(headersTimeouts(upstream)).isZero();
    } finally {
      upstream.close().await();
    }
  }
}
