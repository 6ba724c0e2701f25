package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code load-test link} as a user starts it: a start line, a line per interval, and bytes that get through. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkCommandTest {

  @Test
  void forwardsToTheUpstreamAndLogsWhatItCarried() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("link", "--listen", "127.0.0.1:" + port,
          "--to", "127.0.0.1:" + echo.actualPort(), "--rtt", "20ms", "--report-every", "200ms", "--stop-after", "3s"));

      try (Socket s = connectWhenListening(port)) {
        OutputStream o = s.getOutputStream();
        o.write("ping".getBytes(StandardCharsets.US_ASCII));
        o.flush();
        InputStream in = s.getInputStream();
        assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
      }
      Cli cli = run.get(30, TimeUnit.SECONDS);

      assertThat(cli.exit()).as(cli.err()).isZero();
      assertThat(cli.out()).contains("link: listening on 127.0.0.1:" + port + ", forwarding each connection to 127.0.0.1:"
          + echo.actualPort() + ", RTT 20ms: every byte +10ms each way, a new connection's first bytes +20ms more");
      assertThat(cli.out()).contains("link: 1 connections opened (+1)").contains("4 B up, 4 B down");
      assertThat(cli.out()).containsPattern("link: stopping; 1 connections opened \\(\\+[01]\\), 0 active, 1 closed");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The command starts in another thread: connect once its port accepts. */
  private static Socket connectWhenListening(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return new Socket("127.0.0.1", port);
      } catch (java.net.ConnectException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }
}
