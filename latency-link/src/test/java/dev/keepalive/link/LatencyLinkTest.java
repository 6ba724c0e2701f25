package dev.keepalive.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The link on loopback, between a real client and a real TCP server: lower bounds on time, exact counts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LatencyLinkTest {
  static final Duration RTT = Duration.ofMillis(50);
  static final long RTT_NANOS = RTT.toNanos();

  final Vertx vertx = Vertx.vertx();
  final NetClient client = vertx.createNetClient();
  final AtomicInteger upstreamAccepted = new AtomicInteger();
  final AtomicInteger upstreamClosed = new AtomicInteger();
  final ConcurrentLinkedQueue<NetSocket> upstreamSockets = new ConcurrentLinkedQueue<>();
  /** Completed with the time the echo server first hears anything (after it is set). */
  volatile CompletableFuture<Long> heard;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A TCP server that echoes what it reads; with a greeting, it speaks first. */
  NetServer echo(String greeting) throws Exception {
    return vertx.createNetServer().connectHandler(s -> {
      upstreamAccepted.incrementAndGet();
      upstreamSockets.add(s);
      s.closeHandler(v -> upstreamClosed.incrementAndGet());
      if (greeting != null) {
        s.write(greeting);
      }
      s.handler(b -> {
        CompletableFuture<Long> h = heard;
        if (h != null) {
          h.complete(System.nanoTime());
        }
        s.write(b);
      });
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  LatencyLink link(int upstreamPort, Duration rtt, Duration jitter) throws Exception {
    return LatencyLink.start(vertx, LinkConfig.of(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", upstreamPort),
        rtt, jitter)).await(10, TimeUnit.SECONDS);
  }

  NetSocket connect(LatencyLink link) throws Exception {
    return client.connect(link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  /** Sends text and waits until as many bytes came back; returns the nanoTime they were all there. */
  static long roundTrip(NetSocket s, String text) throws Exception {
    CompletableFuture<Long> back = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    s.handler(b -> {
      received.appendBuffer(b);
      if (received.length() >= text.length()) {
        back.complete(System.nanoTime());
      }
    });
    s.write(text);
    return back.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNewConnectionPaysItsHandshakeAndEveryExchangeOneRoundTrip() throws Exception {
    NetServer server = echo(null);
    LatencyLink link = link(server.actualPort(), RTT, Duration.ZERO);
    // A first connection warms the JVM (class loading, the client's first connect), so the measured one is not slow for that.
    roundTrip(connect(link), "warm-up");
    CompletableFuture<Long> firstByteAtServer = new CompletableFuture<>();
    heard = firstByteAtServer;

    long connectStart = System.nanoTime();
    NetSocket s = connect(link);
    long firstReply = roundTrip(s, "first");
    // SYN, SYN-ACK, then the request's half: the server hears nothing sooner than 1.5 RTT after the connect.
    assertThat(firstByteAtServer.get(10, TimeUnit.SECONDS) - connectStart).isGreaterThanOrEqualTo(3 * RTT_NANOS / 2);
    assertThat(firstReply - connectStart).isGreaterThanOrEqualTo(2 * RTT_NANOS);

    long sent = System.nanoTime();
    assertThat(roundTrip(s, "second") - sent).isGreaterThanOrEqualTo(RTT_NANOS);
  }

  @Test
  void withLossEveryHeldBackChunkArrivesOneRoundTripLateAndEverythingBehindItWaits() throws Exception {
    NetServer server = echo(null);
    // Every chunk lost once: each direction takes half the RTT plus one RTT for the "retransmission".
    LatencyLink link = LatencyLink.start(vertx, LinkConfig.of(new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", server.actualPort()), RTT, Duration.ZERO).withLoss(1.0)).await(10, TimeUnit.SECONDS);
    NetSocket s = connect(link);
    roundTrip(s, "first");
    long sent = System.nanoTime();
    long back = roundTrip(s, "second");
    assertThat(back - sent).as("1.5 RTT out, 1.5 RTT back").isGreaterThanOrEqualTo(3 * RTT_NANOS);
    // Bytes still arrive whole and in order: a held-back chunk is late, never lost.
    assertThat(link.chunksHeldBack()).isGreaterThanOrEqualTo(4);
    // The link counts a chunk just after writing it, so the echo can reach the client a moment before it is counted.
    await(() -> link.stats().bytesDown() == "firstsecond".length());
    assertThat(link.stats().bytesUp()).isEqualTo("firstsecond".length());
  }

  @Test
  void aServerThatSpeaksFirstIsHeardNoSoonerThanTwoRoundTrips() throws Exception {
    NetServer server = echo("hello");
    LatencyLink link = link(server.actualPort(), RTT, Duration.ZERO);

    long connectStart = System.nanoTime();
    NetSocket s = client.connect(link.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    CompletableFuture<Long> greeted = new CompletableFuture<>();
    s.handler(b -> greeted.complete(System.nanoTime()));

    assertThat(greeted.get(10, TimeUnit.SECONDS) - connectStart).isGreaterThanOrEqualTo(2 * RTT_NANOS);
  }

  @Test
  void eachIncomingConnectionGetsExactlyOneUpstreamConnectionAndClosesReachTheOtherSide() throws Exception {
    NetServer server = echo(null);
    LatencyLink link = link(server.actualPort(), Duration.ofMillis(10), Duration.ZERO);

    NetSocket[] sockets = new NetSocket[5];
    for (int i = 0; i < sockets.length; i++) {
      sockets[i] = connect(link);
      roundTrip(sockets[i], "call " + i);
    }
    assertThat(upstreamAccepted).hasValue(5);
    assertThat(link.stats().opened()).isEqualTo(5);
    assertThat(link.stats().active()).isEqualTo(5);

    // Client side closes: the upstream connection closes too.
    sockets[0].close().await(10, TimeUnit.SECONDS);
    await(() -> upstreamClosed.get() == 1);
    // Upstream side closes: the client's connection closes too.
    CompletableFuture<Void> clientSawClose = new CompletableFuture<>();
    sockets[1].closeHandler(v -> clientSawClose.complete(null));
    upstreamSockets.stream().filter(u -> !u.equals(upstreamSockets.peek())).findFirst().orElseThrow().close();
    clientSawClose.get(10, TimeUnit.SECONDS);

    for (NetSocket s : sockets) {
      s.close();
    }
    // The link's count, and the upstream server's own close events (they run on another event loop).
    await(() -> link.stats().active() == 0 && upstreamClosed.get() == 5);
    assertThat(link.stats().closed()).isEqualTo(5);
    assertThat(upstreamAccepted).hasValue(5);
  }

  @Test
  void anUpstreamThatIsDownClosesTheIncomingConnectionAndLeavesNothingOpen() throws Exception {
    int nothingListens;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      nothingListens = probe.getLocalPort();
    }
    LatencyLink link = link(nothingListens, Duration.ofMillis(10), Duration.ZERO);

    NetSocket s = connect(link);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    s.closeHandler(v -> closed.complete(null));
    s.write("anyone?");
    closed.get(10, TimeUnit.SECONDS);

    await(() -> link.stats().active() == 0);
    assertThat(link.stats().refused()).isEqualTo(1);
  }

  @Test
  void jitterNeverReordersBytesAndBulkDataArrivesIntact() throws Exception {
    NetServer server = echo(null);
    LatencyLink link = link(server.actualPort(), Duration.ofMillis(20), Duration.ofMillis(20));
    NetSocket s = connect(link);

    // Many small writes, and more than the link queues before it pauses the sender (backpressure both ways).
    int chunks = 2_000;
    int chunkSize = 1_000;
    Buffer expected = Buffer.buffer();
    Buffer received = Buffer.buffer();
    CompletableFuture<Void> all = new CompletableFuture<>();
    s.handler(b -> {
      received.appendBuffer(b);
      if (received.length() >= chunks * chunkSize) {
        all.complete(null);
      }
    });
    for (int i = 0; i < chunks; i++) {
      Buffer chunk = Buffer.buffer(String.format("%0" + chunkSize + "d", i));
      expected.appendBuffer(chunk);
      s.write(chunk);
    }
    all.get(30, TimeUnit.SECONDS);

    assertThat(received.length()).isEqualTo(expected.length());
    assertThat(received.equals(expected)).as("bytes arrive in the order they were sent").isTrue();
    assertThat(link.stats().bytesUp()).isEqualTo(expected.length());
    assertThat(link.stats().bytesDown()).isEqualTo(expected.length());
  }

  @Test
  void closingTheLinkClosesEveryConnectionOnBothSides() throws Exception {
    NetServer server = echo(null);
    LatencyLink link = link(server.actualPort(), Duration.ofMillis(10), Duration.ZERO);
    NetSocket s = connect(link);
    roundTrip(s, "x");
    Promise<Void> clientClosed = Promise.promise();
    s.closeHandler(v -> clientClosed.tryComplete());

    link.close().await(10, TimeUnit.SECONDS);

    clientClosed.future().await(10, TimeUnit.SECONDS);
    await(() -> upstreamClosed.get() == 1);
  }

  /** Polls a condition that the link reaches asynchronously (its closes travel through the delay lines). */
  @Test
  void theStatsLineGivesTotalsAndWhatChangedSinceTheLastLine() throws Exception {
    NetServer server = echo(null);
    LatencyLink link = link(server.actualPort(), Duration.ZERO, Duration.ZERO);
    LinkCommand.StatsLine line = new LinkCommand.StatsLine(link);
    NetSocket s = connect(link);
    roundTrip(s, "0123456789"); // 10 bytes each way
    await(() -> link.stats().bytesDown() == 10);
    assertThat(line.next()).isEqualTo("link: 1 connections opened (+1), 1 active, 0 closed; 10 B up, 10 B down");
    s.close();
    await(() -> link.stats().active() == 0);
    assertThat(line.next()).isEqualTo("link: 1 connections opened (+0), 0 active, 1 closed; 10 B up, 10 B down");
    // The bounds of each unit: bytes below 10 KiB, KiB below 10 MiB.
    assertThat(LinkCommand.StatsLine.bytes(10 * 1024 - 1)).isEqualTo("10,239 B");
    assertThat(LinkCommand.StatsLine.bytes(10 * 1024)).isEqualTo("10 KiB");
    assertThat(LinkCommand.StatsLine.bytes((10L << 20) - 1)).isEqualTo("10,239 KiB");
    assertThat(LinkCommand.StatsLine.bytes(10L << 20)).isEqualTo("10 MiB");
  }

  @Test
  void aLinkListeningOnEveryInterfaceIsReachedAtLoopback() throws Exception {
    NetServer server = echo(null);
    LatencyLink link = LatencyLink.start(vertx, LinkConfig.of(new HostPort("0.0.0.0", 0),
        new HostPort("127.0.0.1", server.actualPort()), Duration.ZERO, Duration.ZERO)).await(10, TimeUnit.SECONDS);
    assertThat(link.address()).isEqualTo(new HostPort("127.0.0.1", link.port()));
    NetSocket s = client.connect(link.address().port(), link.address().host()).await(10, TimeUnit.SECONDS);
    roundTrip(s, "hello");
    LatencyLink bound = link(server.actualPort(), Duration.ZERO, Duration.ZERO);
    assertThat(bound.address()).isEqualTo(new HostPort("127.0.0.1", bound.port()));
  }

  /**
   * A reader slower than its sender: the link pauses the sender once a direction holds DelayLine.HIGH_WATER bytes
   * and resumes it as the reader catches up, so what the link holds stays bounded however much is sent, and every
   * byte still arrives, in order. (Without the pause the link would hold nearly all of the 32 MiB: the sender writes
   * it far faster than this reader takes it.)
   */
  @Test
  void aSlowReaderHoldsTheSenderBackAndTheLinkHoldsNoMoreThanItsHighWaterMark() throws Exception {
    int total = 32 << 20;
    int chunk = 64 << 10;
    AtomicInteger received = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    CompletableFuture<Void> all = new CompletableFuture<>();
    // The reader takes 512 KiB, then looks away for 10 ms: at most about 50 MiB/s.
    NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(b -> {
      int at = received.getAndAdd(b.length());
      for (int i = 0; i < b.length(); i++) {
        if (b.getByte(i) != pattern(at + i)) {
          outOfOrder.incrementAndGet();
        }
      }
      if ((at + b.length()) / (512 << 10) > at / (512 << 10)) {
        s.pause();
        vertx.setTimer(10, t -> s.resume());
      }
      if (at + b.length() >= total) {
        all.complete(null);
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    LatencyLink link = link(server.actualPort(), Duration.ofMillis(2), Duration.ZERO);
    NetSocket s = connect(link);

    // The sender writes as fast as its own socket lets it.
    AtomicInteger sent = new AtomicInteger();
    Runnable[] more = new Runnable[1];
    more[0] = () -> {
      while (sent.get() < total && !s.writeQueueFull()) {
        Buffer b = Buffer.buffer(chunk);
        int at = sent.getAndAdd(chunk);
        for (int i = 0; i < chunk; i++) {
          b.appendByte(pattern(at + i));
        }
        s.write(b);
      }
      if (sent.get() < total) {
        s.drainHandler(v -> more[0].run());
      }
    };
    vertx.runOnContext(v -> more[0].run());
    all.get(50, TimeUnit.SECONDS);

    assertThat(received.get()).isEqualTo(total);
    assertThat(outOfOrder.get()).as("bytes out of place").isZero();
    assertThat(link.stats().bytesUp()).isEqualTo(total);
    assertThat(link.peakQueuedBytes()).as("the most one direction held")
        .isGreaterThanOrEqualTo(DelayLine.HIGH_WATER) // the reader did fall behind
        .isLessThanOrEqualTo(DelayLine.HIGH_WATER + (256 << 10));
  }

  private static byte pattern(int position) {
    return (byte) (position % 251);
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
