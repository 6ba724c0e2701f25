package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream on a free loopback port, spoken to over real HTTP/1.1 and h2c. */
class UpstreamServiceTest {
  Vertx client;
  UpstreamServer upstream;

  record Reply(int status, HttpVersion version, String connectionHeader, String keepAliveHeader, String body) {}

  @BeforeEach
  void setUp() {
    client = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    if (upstream != null) upstream.close().await();
    client.close().await();
  }

  UpstreamServer start(UnaryOperator<UpstreamConfig> config) {
    upstream = UpstreamServer.start(config.apply(UpstreamConfig.defaults())).await();
    return upstream;
  }

  HttpClientAgent http(HttpClientOptions options, int poolSize, List<HttpConnection> opened) {
    return client.httpClientBuilder()
        .with(options.setDefaultHost("127.0.0.1").setDefaultPort(upstream.port()))
        .with(new PoolOptions().setHttp1MaxSize(poolSize).setHttp2MaxSize(poolSize))
        .withConnectHandler(opened::add)
        .build();
  }

  static Reply get(HttpClientAgent http, String path) throws Exception {
    return http.request(HttpMethod.GET, path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> reply(resp, body)))
        .await(10, TimeUnit.SECONDS);
  }

  static Reply reply(HttpClientResponse resp, Buffer body) {
    return new Reply(resp.statusCode(), resp.version(), resp.getHeader("connection"), resp.getHeader("keep-alive"),
        body.toString());
  }

  @Test
  void itemAnswersJsonOfAboutTheConfiguredSize() throws Exception {
    start(c -> c.withMetricsPort(-1));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    Reply item = get(http, "/item/42");
    assertThat(item.status()).isEqualTo(200);
    JsonObject json = new JsonObject(item.body());
    assertThat(json.getString("id")).isEqualTo("42");
    assertThat(item.body().length()).isBetween(100, 160); // --response-size 128 by default
    assertThat(item.keepAliveHeader()).isEqualTo("timeout=5");
    assertThat(get(http, "/health").status()).isEqualTo(200);
    Reply missing = get(http, "/nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("no such path: /nothing");
    assertThat(get(http, "/metrics").body()).contains("upstream_connections_accepted_total{protocol=\"tcp\"} 1.0")
        .contains("upstream_connections_accepted_total{protocol=\"quic\"} 0.0");
  }

  @Test
  void aServiceTimeSetWhileRunningSlowsTheLaterRequests() throws Exception {
    start(c -> c.withMetricsPort(-1));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    assertThat(get(http, "/item/1").status()).isEqualTo(200);
    upstream.serviceTime().set(Delay.parse("300ms"));
    assertThat(upstream.serviceTime().current()).isEqualTo(Delay.parse("300ms"));
    long start = System.nanoTime();
    assertThat(get(http, "/item/2").status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void errorRateOneAnswersEveryRequestWith500Json() throws Exception {
    start(c -> c.withErrorRate(1.0));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    for (int i = 0; i < 5; i++) {
      Reply r = get(http, "/item/" + i);
      assertThat(r.status()).isEqualTo(500);
      assertThat(new JsonObject(r.body()).getString("error")).contains("--error-rate");
    }
  }

  @Test
  void acceptsHttp2WithPriorKnowledgeOnTheSamePort() throws Exception {
    start(c -> c);
    List<HttpConnection> opened = new ArrayList<>();
    HttpClientAgent h2 = http(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false),
        1, opened);
    List<io.vertx.core.Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(h2.request(HttpMethod.GET, "/item/" + i).compose(req -> req.send())
          .compose(resp -> resp.body().map(body -> reply(resp, body))));
    }
    io.vertx.core.Future.all(replies).await(10, TimeUnit.SECONDS);
    assertThat(replies).allSatisfy(r -> {
      assertThat(r.result().status()).isEqualTo(200);
      assertThat(r.result().version()).isEqualTo(HttpVersion.HTTP_2);
    });
    assertThat(opened).hasSize(1);
    HttpClientAgent h1 = http(new HttpClientOptions(), 1, opened);
    assertThat(get(h1, "/item/1").version()).isEqualTo(HttpVersion.HTTP_1_1);
  }

  @Test
  void maxRequestsPerConnectionClosesAfterTheNthRequest() throws Exception {
    start(c -> c.withMaxRequestsPerConnection(3));
    List<HttpConnection> opened = new ArrayList<>();
    HttpClientAgent http = http(new HttpClientOptions(), 1, opened);
    List<String> connectionHeaders = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Reply r = get(http, "/item/" + i);
      assertThat(r.status()).isEqualTo(200);
      connectionHeaders.add(String.valueOf(r.connectionHeader()));
    }
    assertThat(connectionHeaders).containsExactly("null", "null", "close", "null", "null", "close", "null", "null", "close");
    assertThat(opened).hasSize(3);
  }

  /**
   * --idle-timeout 7s, above the 5 s default: the server closes an idle connection, and not before 7 s since the
   * request (lower bound only), so an upstream that ignored the flag and kept its default fails it. The wait for the
   * close is generous (30 s): an upper bound would only measure the machine.
   */
  @Test
  void idleConnectionsAreClosedByTheServerAfterItsIdleTimeout() throws Exception {
    Duration idle = Duration.ofSeconds(7);
    start(c -> c.withIdleTimeout(idle, false));
    Promise<Long> closed = Promise.promise();
    HttpClientAgent http = client.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAliveTimeout(60).setDefaultHost("127.0.0.1").setDefaultPort(upstream.port()))
        .with(new PoolOptions().setHttp1MaxSize(1))
        .withConnectHandler(connection -> connection.closeHandler(v -> closed.tryComplete(System.nanoTime())))
        .build();
    long sent = System.nanoTime(); // the server's idle timer starts after this, at its last write
    Reply r = get(http, "/item/1");
    assertThat(r.keepAliveHeader()).as("--advertise-keep-alive=false").isNull();
    long closedAt = closed.future().await(30, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(closedAt - sent)).as("from the request to the server's close")
        .isGreaterThanOrEqualTo(idle);
  }

  @Test
  void theIdleTimeoutIsAdvertisedInWholeSeconds() throws Exception {
    start(c -> c.withIdleTimeout(Duration.ofSeconds(3), true));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    assertThat(get(http, "/item/1").keepAliveHeader()).isEqualTo("timeout=3");
  }

  /** --max-concurrent-streams 10: one HTTP/2 connection, 50 requests sent at once, never more than 10 served at a time. */
  @Test
  void maxConcurrentStreamsBoundsTheRequestsInFlightOnOneHttp2Connection() throws Exception {
    start(c -> c.withDelay(Delay.parse("200ms")).with(b -> b.maxConcurrentStreams = 10));
    List<HttpConnection> opened = new ArrayList<>();
    HttpClientAgent h2 = http(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false),
        1, opened);
    List<io.vertx.core.Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(h2.request(HttpMethod.GET, "/item/" + i).compose(req -> req.send())
          .compose(resp -> resp.body().map(body -> reply(resp, body))));
    }
    io.vertx.core.Future.all(replies).await(30, TimeUnit.SECONDS);
    assertThat(replies).allSatisfy(r -> assertThat(r.result().status()).isEqualTo(200));
    assertThat(opened).hasSize(1);
    assertThat(peakInFlight()).isEqualTo(10);
  }

  /** The default of 100 streams: 50 requests on one connection are all served at once. */
  @Test
  void http2ServesTheRequestsOfOneConnectionConcurrently() throws Exception {
    start(c -> c.withDelay(Delay.parse("500ms")));
    HttpClientAgent h2 = http(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false),
        1, new ArrayList<>());
    List<io.vertx.core.Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(h2.request(HttpMethod.GET, "/item/" + i).compose(req -> req.send())
          .compose(resp -> resp.body().map(body -> reply(resp, body))));
    }
    io.vertx.core.Future.all(replies).await(30, TimeUnit.SECONDS);
    assertThat(peakInFlight()).isEqualTo(50);
  }

  /** The upstream's own counts: every answer by status, its duration, and what is open now. */
  @Test
  void metricsCountEachAnswerByStatus() throws Exception {
    start(c -> c.withDelay(Delay.parse("20ms")).withErrorRate(0.0));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      assertThat(get(http, "/item/" + i).status()).isEqualTo(200);
    }
    var registry = upstream.registry();
    awaitServed(3);
    assertThat(registry.get("upstream.requests").tag("status", "200").counter().count()).isEqualTo(3.0);
    var duration = registry.get("upstream.request.duration").timer();
    assertThat(duration.count()).isEqualTo(3);
    // Lower bound only: each answer waited for its 20 ms of service time.
    assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(60.0);
    assertThat(registry.get("upstream.connections.accepted").tag("protocol", "tcp").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("upstream.connections.active").gauge().value()).isEqualTo(1.0);
    assertThat(peakInFlight()).as("one request at a time").isEqualTo(1);
  }

  @Test
  void errorsAreCountedUnderTheirStatus() throws Exception {
    start(c -> c.withErrorRate(1.0));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    get(http, "/item/1");
    get(http, "/item/2");
    awaitServed(2);
    assertThat(upstream.registry().get("upstream.requests").tag("status", "500").counter().count()).isEqualTo(2.0);
    assertThat(upstream.registry().get("upstream.requests").tag("status", "200").counter().count()).isZero();
  }

  /** --max-requests-per-connection 0 (the default) never closes a connection, however many requests it carries. */
  @Test
  void withoutABudgetOneConnectionCarriesEveryRequest() throws Exception {
    start(c -> c);
    List<HttpConnection> opened = new ArrayList<>();
    HttpClientAgent http = http(new HttpClientOptions(), 1, opened);
    for (int i = 0; i < 5; i++) {
      assertThat(get(http, "/item/" + i).connectionHeader()).isNull();
    }
    assertThat(opened).hasSize(1);
  }

  /** No service time answers at once (no timer), --idle-timeout 0 advertises nothing, the body is --response-size bytes. */
  @Test
  void zeroDelayNoIdleTimeoutAndAnExactBodySize() throws Exception {
    start(c -> c.withDelay(Delay.parse("0")).withIdleTimeout(Duration.ZERO, true).with(b -> b.responseSize = 1000));
    HttpClientAgent http = http(new HttpClientOptions(), 1, new ArrayList<>());
    Reply r = get(http, "/item/12345");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.keepAliveHeader()).as("no idle timeout to advertise").isNull();
    // {"id":"12345","data":"x…x"}: 24 bytes of JSON around the padding, with a five-digit id.
    assertThat(r.body()).hasSize(1000);
  }

  long peakInFlight() {
    return Math.round(upstream.registry().get("upstream.requests.in.flight.peak").gauge().value());
  }

  /**
   * The upstream records an answer when its write completes (ItemHandler), which may be just after the client has
   * read it: wait, bounded, until the request duration timer has counted {@code n} answers.
   */
  private void awaitServed(long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (upstream.registry().get("upstream.request.duration").timer().count() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
