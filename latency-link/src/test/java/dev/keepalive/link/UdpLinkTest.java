package dev.keepalive.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The link's UDP side on loopback, between a real client and a UDP echo server: lower bounds on time only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpLinkTest {
  static final Duration RTT = Duration.ofMillis(50);

  final Vertx vertx = Vertx.vertx();
  final Set<SocketAddress> echoPeers = ConcurrentHashMap.newKeySet();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyDatagramWaitsHalfTheRttEachWayOnTheTcpLinksPortNumber() throws Exception {
    DatagramSocket echo = vertx.createDatagramSocket();
    echo.handler(p -> {
      echoPeers.add(p.sender());
      echo.send(p.data(), p.sender().port(), p.sender().host());
    });
    echo.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    LatencyLink link = LatencyLink.start(vertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", echo.localAddress().port()), RTT, Duration.ZERO)).await(10, TimeUnit.SECONDS);

    DatagramSocket client = vertx.createDatagramSocket();
    client.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      Promise<Buffer> answered = Promise.promise();
      client.handler(p -> answered.tryComplete(p.data()));
      long start = System.nanoTime();
      client.send(Buffer.buffer("ping " + i), link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
      Buffer answer = answered.future().await(10, TimeUnit.SECONDS);
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(answer.toString()).isEqualTo("ping " + i);
      assertThat(millis).as("datagram %d: half the RTT out, half back", i).isGreaterThanOrEqualTo(RTT.toMillis());
    }
    // One client, one peer at the target: the link keeps a socket per client address.
    assertThat(echoPeers).hasSize(1);
    assertThat(link.stats().bytesUp()).isEqualTo(link.stats().bytesDown()).isPositive();
    // UDP opens no connection: the TCP counts stay at zero.
    assertThat(link.stats().opened()).isZero();
  }

  @Test
  void withLossEachDatagramIsForwardedOrDroppedAndTheTargetGetsExactlyTheForwardedOnes() throws Exception {
    java.util.concurrent.atomic.AtomicInteger echoed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
    DatagramSocket echo = vertx.createDatagramSocket();
    echo.handler(p -> {
      echoed.incrementAndGet();
      echo.send(p.data(), p.sender().port(), p.sender().host());
    });
    echo.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    LatencyLink link = LatencyLink.start(vertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", echo.localAddress().port()), Duration.ZERO, Duration.ZERO).withLoss(0.5))
        .await(10, TimeUnit.SECONDS);
    DatagramSocket client = vertx.createDatagramSocket();
    client.handler(p -> answers.incrementAndGet());
    client.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int sent = 200;
    for (int i = 0; i < sent; i++) {
      client.send(Buffer.buffer("ping " + i), link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    }
    // Every datagram, out and back, ends forwarded or dropped: the sent ones, and the target's answers to those it got.
    LatencyLinkTest.await(() -> link.datagramsForwarded() + link.datagramsDropped() == sent + echoed.get()
        && answers.get() == link.datagramsForwarded() - echoed.get());

    assertThat(link.datagramsDropped()).as("half of them lost, either way").isPositive();
    assertThat(echoed.get()).as("the target got what was forwarded to it, no more").isPositive().isLessThan(sent);
    assertThat(answers.get()).isLessThanOrEqualTo(echoed.get());
    assertThat(link.chunksHeldBack()).as("no TCP here").isZero();
  }

  @Test
  void countsTheClientsQuicInitialsAndTheServersRetriesOnly() throws Exception {
    // A target that answers each datagram with a QUIC version 1 Retry-shaped one.
    Buffer retry = QuicPacketTest.longHeader(0xF0, 1);
    DatagramSocket target = vertx.createDatagramSocket();
    target.handler(p -> target.send(retry, p.sender().port(), p.sender().host()));
    target.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    LatencyLink link = LatencyLink.start(vertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", target.localAddress().port()), Duration.ZERO, Duration.ZERO))
        .await(10, TimeUnit.SECONDS);
    DatagramSocket client = vertx.createDatagramSocket();
    java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
    client.handler(p -> answers.incrementAndGet());
    client.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    // Two Initials and a Retry-shaped datagram from the client: only the server's Retries count as Retries.
    for (Buffer b : java.util.List.of(QuicPacketTest.longHeader(0xC0, 1), QuicPacketTest.longHeader(0xC0, 1), retry)) {
      client.send(b, link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    }
    LatencyLinkTest.await(() -> answers.get() == 3);

    assertThat(link.quicInitials()).isEqualTo(2);
    assertThat(link.quicRetries()).isEqualTo(3);
  }

  @Test
  void countsTheRoundTripsAClientWaitedForBeforeItsFirstOneRttDatagram() throws Exception {
    // A target that answers anything with one datagram: enough to make the client wait a round trip each time.
    DatagramSocket target = vertx.createDatagramSocket();
    target.handler(p -> target.send(QuicPacketTest.longHeader(0xE0, 1), p.sender().port(), p.sender().host()));
    target.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    LatencyLink link = LatencyLink.start(vertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", target.localAddress().port()), Duration.ofMillis(200), Duration.ZERO))
        .await(10, TimeUnit.SECONDS);
    DatagramSocket client = vertx.createDatagramSocket();
    java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
    client.handler(p -> answers.incrementAndGet());
    client.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    Buffer initial = QuicPacketTest.longHeader(0xC0, 1);
    Buffer handshake = QuicPacketTest.longHeader(0xE0, 1);
    Buffer oneRtt = Buffer.buffer(new byte[] {0x40, 1, 2, 3});

    // As Vert.x 5.1.6's client does: Initial, (answer) Finished, (answer) first 1-RTT datagram: 2 round trips.
    // Then a handshake as QUIC allows it: Initial, (answer) Finished with the request in 1-RTT right behind it: 1.
    for (Buffer b : new Buffer[] {initial, handshake, oneRtt, initial}) {
      int before = answers.get();
      client.send(b, link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
      LatencyLinkTest.await(() -> answers.get() == before + 1);
    }
    // Back to back: the 200 ms round trip keeps the answer to the first from reaching the client before the second
    // leaves (with no delay it could, and the link would rightly count a second round trip).
    client.send(handshake, link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    client.send(oneRtt, link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    LatencyLinkTest.await(() -> link.quicHandshakes() == 2);

    assertThat(link.quicHandshakeRoundTrips()).isEqualTo(3);
    assertThat(link.quicInitials()).isEqualTo(2);
  }
}
