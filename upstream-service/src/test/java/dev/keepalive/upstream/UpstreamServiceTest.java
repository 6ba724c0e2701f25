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

  @Test
  void idleConnectionsAreClosedByTheServerAfterItsIdleTimeout() throws Exception {
    start(c -> c.withIdleTimeout(Duration.ofMillis(300), false));
    List<HttpConnection> opened = new ArrayList<>();
    HttpClientAgent http = http(new HttpClientOptions().setKeepAliveTimeout(60), 1, opened);
    Reply r = get(http, "/item/1");
    assertThat(r.keepAliveHeader()).as("--advertise-keep-alive=false").isNull();
    Promise<Void> closed = Promise.promise();
    opened.get(0).closeHandler(v -> closed.tryComplete());
    long start = System.nanoTime();
    closed.future().await(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
