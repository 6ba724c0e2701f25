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

  @Test
  void severalTargetsAndATargetsFileTakeTheConnectionsInTurn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    java.util.List<Socket> sockets = new java.util.ArrayList<>();
    try {
      java.util.List<java.util.concurrent.atomic.AtomicInteger> accepted = new java.util.ArrayList<>();
      java.util.List<Integer> ports = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        accepted.add(n);
        ports.add(vertx.createNetServer().connectHandler(socket -> n.incrementAndGet())
            .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort());
      }
      // The third replica only in the watched file: the link adds it once it has read the file.
      java.nio.file.Path file = dir.resolve("targets");
      java.nio.file.Files.writeString(file, "# added by hand\n127.0.0.1:" + ports.get(2) + "\n");
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("link", "--listen", "127.0.0.1:" + port,
          "--to", "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1), "--targets-file", file.toString(),
          "--rtt", "0", "--stop-after", "4s"));

      // Connections, each with a byte (the link connects upstream once it may send), until all three got one.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (accepted.stream().anyMatch(n -> n.get() == 0)) {
        assertThat(System.nanoTime()).as("connections accepted by each target: %s", accepted).isLessThan(deadline);
        Socket s = sockets.isEmpty() ? connectWhenListening(port) : new Socket("127.0.0.1", port);
        sockets.add(s);
        s.getOutputStream().write('x');
        s.getOutputStream().flush();
        long accepts = sockets.size();
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (accepted.stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum() < accepts
            && System.nanoTime() < wait) {
          Thread.sleep(5);
        }
      }
      Cli cli = run.get(30, TimeUnit.SECONDS);
      assertThat(cli.exit()).as(cli.err()).isZero();
      String a = "127.0.0.1:" + ports.get(0);
      String b = "127.0.0.1:" + ports.get(1);
      String c = "127.0.0.1:" + ports.get(2);
      assertThat(cli.out()).contains("forwarding each connection to " + a + ", " + b + " (round robin per connection)")
          .contains("link: target added from " + file + ": " + c + "; now " + a + ", " + b + ", " + c
              + " (round robin per connection)");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnreadableTargetsFileIsAUsageErrorNamingTheFlag(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Cli cli = Cli.run("link", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:1", "--rtt", "0",
        "--targets-file", dir.resolve("missing").toString(), "--stop-after", "1s");
    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).contains("--targets-file").contains("missing").contains("cannot be read")
        .doesNotContain("Exception");
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
