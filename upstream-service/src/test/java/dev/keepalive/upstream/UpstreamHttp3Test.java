package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.TransportChoice;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream with --tls --http3: HTTP/3 over QUIC on the UDP port with the TCP port's number, and the Alt-Svc
 * header its TCP answers carry to say so.
 */
class UpstreamHttp3Test {
  // A cold JVM's first QUIC handshake loads quiche and BoringSSL: seconds on a busy 2-core machine.
  private static final Duration GENEROUS_CONNECT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final Vertx client = Vertx.vertx();
  private UpstreamServer upstream;

  @AfterEach
  void tearDown() {
    if (upstream != null) upstream.close().await();
    client.close().await();
  }

  private record Reply(int status, HttpVersion version, String altSvc, String body) {}

  private static Reply get(HttpClientAgent http, String path) throws Exception {
    return http.request(HttpMethod.GET, path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> reply(resp, body)))
        .await(30, TimeUnit.SECONDS);
  }

  private static Reply reply(HttpClientResponse resp, Buffer body) {
    return new Reply(resp.statusCode(), resp.version(), resp.getHeader("alt-svc"), body.toString());
  }

  /** HTTPS over TCP, trusting the certificate the upstream wrote to --tls-cert-out. */
  private HttpClientOptions tcp(Path cert) {
    return new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(upstream.port()).setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(cert.toString()));
  }

  private long accepted(String protocol) {
    String line = "upstream_connections_accepted_total{protocol=\"" + protocol + "\"} ";
    return upstream.registry().scrape().lines().filter(l -> l.startsWith(line))
        .mapToLong(l -> Math.round(Double.parseDouble(l.substring(line.length())))).sum();
  }

  @Test
  void http3AnswersOverQuicAndTcpAnswersAdvertiseIt() throws Exception {
    Path cert = dir.resolve("upstream.pem");
    // Two instances, as the command line runs them: QUIC's UDP port is shared like the TCP one.
    upstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0).withInstances(2)
        .withTransport(TransportChoice.NIO).withTls(TlsSettings.generated().withCertOut(cert)).withHttp3()).await();
    assertThat(upstream.config().http3()).isTrue();
    assertThat(upstream.config().instances()).isEqualTo(2);
    assertThat(upstream.transport()).isEqualTo(TransportChoice.NIO);
    int port = upstream.port();

    HttpClientAgent h1 = client.createHttpClient(tcp(cert));
    Reply overTcp = get(h1, "/item/1");
    assertThat(overTcp.status()).isEqualTo(200);
    assertThat(overTcp.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(overTcp.altSvc()).isEqualTo("h3=\":" + port + "\"; ma=3600");
    assertThat(accepted("tcp")).isEqualTo(1);
    assertThat(accepted("quic")).isZero();

    HttpClientOptions options = tcp(cert);
    HttpClientConfig http3 = new HttpClientConfig(options).setVersions(HttpVersion.HTTP_3).setSsl(true)
        .setFollowAlternativeServices(false);
    http3.getQuicConfig().setConnectTimeout(GENEROUS_CONNECT);
    HttpClientAgent h3 = client.httpClientBuilder().with(http3).with(options.getSslOptions().copy()).build();
    Reply overQuic = get(h3, "/item/1");
    assertThat(overQuic.status()).isEqualTo(200);
    assertThat(overQuic.version()).isEqualTo(HttpVersion.HTTP_3);
    assertThat(overQuic.altSvc()).as("HTTP/3 answers need no pointer to HTTP/3").isNull();
    assertThat(overQuic.body()).isEqualTo(overTcp.body());
    assertThat(get(h3, "/item/2").version()).isEqualTo(HttpVersion.HTTP_3);
    // Two requests on one QUIC connection; the TCP connection is still the only one over TCP.
    assertThat(accepted("quic")).isEqualTo(1);
    assertThat(accepted("tcp")).isEqualTo(1);
  }

  /**
   * --idle-timeout applies to QUIC too: the upstream closes an HTTP/3 connection left idle, never before it. The
   * client would wait a minute, and QUIC's own default is 40 s.
   */
  @Test
  void anIdleQuicConnectionIsClosedByTheUpstreamAfterTheIdleTimeout() throws Exception {
    Path cert = dir.resolve("upstream.pem");
    Duration idle = Duration.ofSeconds(1);
    upstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0).withIdleTimeout(idle, false)
        .withTls(TlsSettings.generated().withCertOut(cert)).withHttp3()).await();
    HttpClientOptions options = tcp(cert).setKeepAliveTimeout(60);
    HttpClientConfig http3 = new HttpClientConfig(options).setVersions(HttpVersion.HTTP_3).setSsl(true)
        .setFollowAlternativeServices(false);
    http3.getQuicConfig().setConnectTimeout(GENEROUS_CONNECT).setIdleTimeout(Duration.ofSeconds(60));
    HttpClientAgent h3 = client.httpClientBuilder().with(http3).with(options.getSslOptions().copy()).build();

    // Before the request: the upstream's idle clock starts no sooner than it receives it.
    long sent = System.nanoTime();
    assertThat(get(h3, "/item/1").version()).isEqualTo(HttpVersion.HTTP_3);
    assertThat(activeConnections()).isEqualTo(1);
    // QUIC's idle close is silent (the client is not told), so the upstream's own count says when it happened.
    Promise<Long> closed = Promise.promise();
    client.setPeriodic(10, timer -> {
      if (activeConnections() == 0) {
        client.cancelTimer(timer);
        closed.tryComplete(System.nanoTime());
      }
    });
    long closedAt = closed.future().await(15, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(closedAt - sent)).as("no sooner than --idle-timeout").isGreaterThanOrEqualTo(idle);
    assertThat(accepted("quic")).isEqualTo(1);
  }

  private long activeConnections() {
    return Math.round(upstream.registry().get("upstream.connections.active").gauge().value());
  }

  @Test
  void withoutHttp3TcpAnswersAdvertiseNothing() throws Exception {
    Path cert = dir.resolve("upstream.pem");
    upstream = UpstreamServer.start(UpstreamConfig.defaults().withMetricsPort(0)
        .withTls(TlsSettings.generated().withCertOut(cert))).await();
    Reply reply = get(client.createHttpClient(tcp(cert)), "/item/1");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(reply.altSvc()).isNull();
  }
}
