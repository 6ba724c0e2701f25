package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.QuicClientAddressValidation;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Why the gateway refuses {@code --max-connection-age} with {@code --http3} (docs/http3.md): in Vert.x 5.1.6, a graceful
 * {@code HttpConnection.shutdown(timeout)} of an HTTP/3 <em>client</em> connection cancels the requests in flight on it.
 * {@code Http3Connection.handleShutdown} sends GOAWAY with {@code mostRecentRemoteStreamId + 4}, a server's notion (the
 * last request stream its peer opened); on a client that field stays 0, so {@code sendGoAway} cancels every request
 * stream with an id of 4 or more: all but the connection's first request. Their responses are never delivered.
 * <p>
 * Plain Vert.x only (no class of this project), so that it can go into a report upstream as it is; it needs
 * {@code openssl} on the PATH for a certificate. It passes while the defect is there: when it fails, Vert.x has fixed
 * it, and the gateway can allow the combination.
 */
class VertxHttp3ClientShutdownTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aGracefulShutdownOfAnHttp3ClientConnectionLosesEveryRequestInFlightButTheFirst() throws Exception {
    Path dir = Files.createTempDirectory("vertx-h3-shutdown");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    openssl(dir, cert, key);
    int port;
    try (DatagramSocket probe = new DatagramSocket(0)) {
      port = probe.getLocalPort();
    }

    // The server holds every request until the test answers them all.
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    Promise<Void> threeReceived = Promise.promise();
    HttpServerConfig serverConfig = new HttpServerConfig().setVersions(HttpVersion.HTTP_3);
    serverConfig.getQuicConfig().setHost("127.0.0.1").setPort(port)
        .setClientAddressValidation(QuicClientAddressValidation.NONE);
    HttpServer server = vertx.httpServerBuilder().with(serverConfig)
        .with(new ServerSSLOptions().setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
            .setKeyPath(key.toString())))
        .build();
    server.requestHandler(req -> {
      held.add(req);
      if (held.size() == 3) {
        threeReceived.tryComplete();
      }
    }).listen().await(30, TimeUnit.SECONDS);

    HttpClientConfig clientConfig = new HttpClientConfig().setVersions(HttpVersion.HTTP_3).setSsl(true)
        .setDefaultHost("127.0.0.1").setDefaultPort(port);
    clientConfig.getQuicConfig().setConnectTimeout(Duration.ofSeconds(20));
    HttpClientAgent client = vertx.httpClientBuilder().with(clientConfig)
        .with(new ClientSSLOptions().setTrustOptions(new PemTrustOptions().addCertPath(cert.toString())))
        .with(new PoolOptions().setHttp3MaxSize(1)).build();

    // Three requests on the one QUIC connection, in flight at the server.
    List<Promise<HttpConnection>> connections = new ArrayList<>();
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Promise<HttpConnection> connection = Promise.promise();
      connections.add(connection);
      calls.add(client.request(new RequestOptions().setURI("/" + i)).compose(req -> {
        connection.tryComplete(req.connection());
        return req.send().compose(resp -> resp.body().map(b -> resp.statusCode()));
      }));
    }
    threeReceived.future().await(30, TimeUnit.SECONDS);
    HttpConnection connection = connections.get(0).future().await(10, TimeUnit.SECONDS);
    Promise<Void> closed = Promise.promise();
    connection.closeHandler(v -> closed.tryComplete());

    // The client drains the connection (what a maximum connection age does), then the server answers all three.
    long start = System.nanoTime();
    Future<Void> shutdown = connection.shutdown(Duration.ofSeconds(2));
    vertx.runOnContext(v -> held.forEach(req -> req.response().end("ok")));

    // Past the shutdown's 2 s grace the connection is closed whatever is in flight.
    closed.future().await(30, TimeUnit.SECONDS);
    try {
      Future.join(calls).otherwiseEmpty().await(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // Calls that never complete: reported below.
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<String> outcomes = calls.stream().map(c -> !c.isComplete() ? "not complete"
        : c.succeeded() ? "status " + c.result() : "failed: " + c.cause()).toList();
    System.out.printf("HTTP/3 client shutdown with 3 requests in flight: closed after %d ms, shutdown %s, calls %s%n",
        millis, shutdown.isComplete() ? (shutdown.succeeded() ? "succeeded" : "failed: " + shutdown.cause()) : "pending",
        outcomes);

    // The server answered all three; the client got only the first one (stream 0). A correct drain answers all three.
    assertThat(calls.get(0).succeeded()).as(outcomes.toString()).isTrue();
    assertThat(calls.stream().filter(Future::succeeded).count()).as(outcomes.toString()).isEqualTo(1);
    for (Future<Integer> lost : calls.subList(1, 3)) {
      assertThat(lost.cause()).as(outcomes.toString()).isInstanceOf(io.vertx.core.http.HttpClosedException.class);
    }
  }

  /** A self-signed EC certificate for 127.0.0.1, by the openssl command. */
  static void openssl(Path dir, Path cert, Path key) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", key.toString(), "-out", cert.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
