package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.Http3Upstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Vert.x 5.1.6's HTTP/3 does in the project's shape, with a test certificate. */
class Http3ShapeTest {
  private static final TestCertificate CERT = TestCertificate.create();
  // A cold JVM's first QUIC handshake loads quiche and BoringSSL: over 1 s on this busy 2-core machine (measured).
  private static final Duration GENEROUS_CONNECT = Duration.ofSeconds(20);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void tenFanOutsOfHundredOnAPoolOfOneOpenOneQuicConnection() {
    Map<HttpVersion, AtomicInteger> accepted = new ConcurrentHashMap<>();
    int port = freeTcpAndUdpPort();
    HttpServer server = Http3Upstream.create(vertx, tlsServer(), port, Duration.ofSeconds(5));
    Router router = Router.router(vertx);
    router.route().handler(Http3Upstream.advertise(port));
    router.get("/item/:id").handler(ctx -> ctx.end("item " + ctx.pathParam("id")));
    server.connectionHandler(c -> accepted.computeIfAbsent(c.protocolVersion(), v -> new AtomicInteger()).incrementAndGet())
        .requestHandler(router).listen().await();

    AtomicInteger opened = new AtomicInteger();
    HttpClientOptions tcp = tlsClient(port);
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(Http3Client.config(tcp, GENEROUS_CONNECT, Duration.ofSeconds(4)))
        .with(Http3Client.ssl(tcp))
        .with(new PoolOptions().setHttp3MaxSize(1))
        .withConnectHandler(c -> opened.incrementAndGet())
        .build();
    WebClient web = WebClient.wrap(client);
    for (int round = 0; round < 10; round++) {
      long start = System.nanoTime();
      List<Future<HttpResponse<io.vertx.core.buffer.Buffer>>> calls = new ArrayList<>();
      for (int id = 1; id <= 100; id++) {
        calls.add(web.get("/item/" + id).send());
      }
      Future.all(calls).await();
      for (var call : calls) {
        assertThat(call.result().statusCode()).isEqualTo(200);
        assertThat(call.result().version()).isEqualTo(HttpVersion.HTTP_3);
        assertThat(call.result().getHeader("alt-svc")).isNull();
      }
      System.out.printf("HTTP/3 round %d: 100 calls in %d ms%n", round, Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
    assertThat(opened).hasValue(1);
    assertThat(accepted).containsOnlyKeys(HttpVersion.HTTP_3);
    assertThat(accepted.get(HttpVersion.HTTP_3)).hasValue(1);

    // Over TCP the same server answers HTTP/1.1 and says where HTTP/3 is.
    HttpClientAgent h1 = vertx.createHttpClient(tcp);
    var answer = WebClient.wrap(h1).get("/item/7").send().await();
    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(answer.getHeader("alt-svc")).isEqualTo("h3=\":" + port + "\"; ma=3600");
  }

  @Test
  void twoServerInstancesShareTheUdpPortAsTheyShareTheTcpPort() {
    // The upstream's command line runs two verticle instances on one port: QUIC's must share it too.
    int port = freeTcpAndUdpPort();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    for (int instance = 0; instance < 2; instance++) {
      vertx.deployVerticle(new io.vertx.core.VerticleBase() {
        @Override
        public Future<?> start() {
          return Http3Upstream.create(vertx, tlsServer(), port, Duration.ofSeconds(5))
              .connectionHandler(c -> accepted.incrementAndGet())
              .requestHandler(req -> {
                served.incrementAndGet();
                req.response().end("ok");
              })
              .listen();
        }
      }).await();
    }
    // Four clients, each a pool of 1 on a UDP socket of its own: exactly four QUIC connections, whichever instance's
    // socket the kernel hands each one's datagrams to. (One client with a pool of 4 opens 1 to 4 connections, as its
    // streams' credit runs out or not: no exact count.)
    HttpClientOptions tcp = tlsClient(port);
    AtomicInteger opened = new AtomicInteger();
    List<Future<HttpResponse<io.vertx.core.buffer.Buffer>>> calls = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      HttpClientAgent client = vertx.httpClientBuilder()
          .with(Http3Client.config(tcp, GENEROUS_CONNECT, Duration.ofSeconds(4)))
          .with(Http3Client.ssl(tcp))
          .with(new PoolOptions().setHttp3MaxSize(1))
          .withConnectHandler(conn -> opened.incrementAndGet())
          .build();
      WebClient web = WebClient.wrap(client);
      for (int id = 1; id <= 100; id++) {
        calls.add(web.get("/item/" + id).send());
      }
    }
    Future.all(calls).await();
    assertThat(calls).allSatisfy(c -> {
      assertThat(c.result().statusCode()).isEqualTo(200);
      assertThat(c.result().version()).isEqualTo(HttpVersion.HTTP_3);
    });
    assertThat(served).hasValue(400);
    assertThat(opened).hasValue(4);
    assertThat(accepted).hasValue(4);
  }

  @Test
  void http3AgainstAServerWithoutItFailsEachCallWithinItsTimeout() throws Exception {
    int port = freeTcpAndUdpPort();
    HttpServer tcpOnly = vertx.createHttpServer(tlsServer().setPort(port));
    tcpOnly.requestHandler(req -> req.response().end("tcp")).listen().await();

    HttpClientOptions tcp = tlsClient(port);
    AtomicInteger opened = new AtomicInteger();
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(Http3Client.config(tcp, Duration.ofMillis(500), Duration.ofSeconds(4)))
        .with(Http3Client.ssl(tcp))
        .with(new PoolOptions().setHttp3MaxSize(1))
        .withConnectHandler(c -> opened.incrementAndGet())
        .build();
    WebClient web = WebClient.wrap(client);
    long start = System.nanoTime();
    List<Future<HttpResponse<io.vertx.core.buffer.Buffer>>> calls = new ArrayList<>();
    for (int id = 1; id <= 100; id++) {
      calls.add(web.get("/item/" + id).connectTimeout(500).idleTimeout(2000).send());
    }
    // Bounded: a hang fails the test instead of stalling the build.
    Future.join(calls).otherwiseEmpty().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    Map<String, Integer> kinds = new TreeMap<>();
    for (var call : calls) {
      assertThat(call.failed()).isTrue();
      kinds.merge(FailureKinds.of(call.cause()), 1, Integer::sum);
    }
    System.out.println("HTTP/3 to a TCP-only server: " + kinds + " in " + millis + " ms; first: " + calls.get(0).cause());
    // Silence on UDP, like an unreachable host: every call fails as connect_timeout, none waits its turn for a
    // handshake of its own.
    assertThat(kinds).containsExactly(Map.entry("connect_timeout", 100));
    assertThat(opened).hasValue(0);
  }

  private static HttpServerOptions tlsServer() {
    return new HttpServerOptions().setHost("127.0.0.1").setSsl(true).setUseAlpn(true).setKeyCertOptions(CERT.keyCert());
  }

  private static HttpClientOptions tlsClient(int port) {
    return new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setSsl(true)
        .setTrustOptions(CERT.trust());
  }

  /** A port number free for TCP and for UDP alike. */
  static int freeTcpAndUdpPort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
        return tcp.getLocalPort();
      } catch (java.io.IOException taken) {
        // the UDP port is in use: try another
      }
    }
    throw new IllegalStateException("no port free for TCP and UDP");
  }
}
