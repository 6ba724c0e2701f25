package dev.keepalive.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several targets: round robin per connection (as kube-proxy), and targets added while the link runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkTargetsTest {
  final Vertx vertx = Vertx.vertx();
  final NetClient client = vertx.createNetClient();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A TCP server counting the connections it accepts. */
  record Server(NetServer server, AtomicInteger accepted) {
    HostPort address() {
      return new HostPort("127.0.0.1", server.actualPort());
    }
  }

  Server server() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    NetServer s = vertx.createNetServer().connectHandler(socket -> accepted.incrementAndGet())
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return new Server(s, accepted);
  }

  LatencyLink link(Targets targets) throws Exception {
    return LatencyLink.start(vertx, new LinkConfig(new HostPort("127.0.0.1", 0), targets, Duration.ZERO, Duration.ZERO, 1))
        .await(10, TimeUnit.SECONDS);
  }

  /** Opens n connections through the link and waits until the servers accepted them all. */
  List<NetSocket> connect(LatencyLink link, int n, List<Server> servers, int expectedTotal) throws Exception {
    List<NetSocket> sockets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NetSocket s = client.connect(link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
      // The link connects upstream once the client's first bytes may leave: send one.
      s.write("x");
      sockets.add(s);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (servers.stream().mapToInt(s -> s.accepted().get()).sum() < expectedTotal) {
      assertThat(System.nanoTime()).as("upstream connections").isLessThan(deadline);
      Thread.sleep(10);
    }
    return sockets;
  }

  @Test
  void connectionsGoToTheTargetsInTurn() throws Exception {
    List<Server> servers = List.of(server(), server(), server());
    LatencyLink link = link(Targets.of(servers.stream().map(Server::address).toList()));
    connect(link, 9, servers, 9);
    assertThat(servers).extracting(s -> s.accepted().get()).containsExactly(3, 3, 3);
    assertThat(link.config().targets().describe()).contains("round robin per connection");
  }

  @Test
  void aTargetAddedFromTheWatchedFileGetsOnlyLaterConnections(@TempDir Path dir) throws Exception {
    List<Server> servers = List.of(server(), server(), server());
    Path file = dir.resolve("targets");
    Files.writeString(file, servers.get(0).address() + "\n" + servers.get(1).address() + "\n");
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    RoundRobinTargets targets = new RoundRobinTargets(TargetsFile.read(file, log::add));
    LatencyLink link = link(targets);
    TargetsFile watch = new TargetsFile(file, targets, log::add);
    watch.watch(vertx);
    List<NetSocket> before = connect(link, 4, servers, 4);
    assertThat(servers).extracting(s -> s.accepted().get()).containsExactly(2, 2, 0);

    Files.writeString(file, "# a replica added\n" + servers.get(2).address() + "\n", java.nio.file.StandardOpenOption.APPEND);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (targets.targets().size() < 3) {
      assertThat(System.nanoTime()).as("the file's new line read").isLessThan(deadline);
      Thread.sleep(20);
    }
    // The open connections stay where they are; new ones take turns over all three.
    assertThat(servers.get(2).accepted().get()).isZero();
    connect(link, 3, servers, 7);
    assertThat(servers).extracting(s -> s.accepted().get()).containsExactlyInAnyOrder(3, 3, 1);
    assertThat(servers.get(2).accepted().get()).isEqualTo(1);
    assertThat(log).anySatisfy(l -> assertThat(l).contains("target added").contains(servers.get(2).address().toString()));
    before.forEach(NetSocket::close);
  }
}
