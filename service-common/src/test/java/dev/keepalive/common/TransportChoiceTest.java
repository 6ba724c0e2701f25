package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keepalive.common.server.AcceptWatchingTransport;
import dev.keepalive.common.server.FirstHeadTimeout;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * --transport on this machine (Linux x86-64, kernel 6.x, io_uring enabled, the native jars of service-common): which
 * transport each choice runs on, checked on real Vert.x instances serving HTTP on loopback, and the one log line
 * when the transport asked for cannot run.
 */
class TransportChoiceTest {
  private static final String SERVICE = "svc";
  private final Logger logger = (Logger) LoggerFactory.getLogger(TransportChoice.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final List<Vertx> started = new ArrayList<>();

  @BeforeEach
  void listen() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void close() {
    logger.detachAppender(logged);
    started.forEach(v -> v.close().await());
  }

  private Vertx build(TransportChoice choice) {
    Vertx vertx = choice.build(Vertx.builder(), SERVICE);
    started.add(vertx);
    return vertx;
  }

  private Vertx build(TransportChoice choice, UnaryOperator<Transport> decorate) {
    Vertx vertx = choice.build(Vertx.builder(), SERVICE, decorate);
    started.add(vertx);
    return vertx;
  }

  private List<String> warnings() {
    return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** One GET to an HTTP server on this Vert.x: its event loops run. */
  private static String served(Vertx vertx) throws Exception {
    int port = vertx.createHttpServer().requestHandler(r -> r.response().end("served"))
        .listen(0, "127.0.0.1").await().actualPort();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void labelsAreTheFlagsSpelling() {
    Map<TransportChoice, String> labels = Arrays.stream(TransportChoice.values())
        .collect(Collectors.toMap(c -> c, TransportChoice::label));
    assertThat(labels).isEqualTo(Map.of(TransportChoice.AUTO, "auto", TransportChoice.NIO, "nio",
        TransportChoice.EPOLL, "epoll", TransportChoice.IO_URING, "io_uring", TransportChoice.KQUEUE, "kqueue"));
  }

  @Test
  void thisMachineRunsNioEpollAndIoUringButNotKqueue() {
    assertThat(TransportChoice.NIO.unavailability()).isNull();
    assertThat(TransportChoice.AUTO.unavailability()).isNull();
    assertThat(TransportChoice.EPOLL.unavailability()).isNull();
    assertThat(TransportChoice.IO_URING.unavailability()).isNull();
    assertThat(TransportChoice.KQUEUE.unavailability()).isEqualTo(KQUEUE_REASON);
  }

  /** Netty's innermost reason kqueue cannot load on Linux. */
  private static final String KQUEUE_REASON = "Only supported on OSX/BSD";

  @Test
  void resolvedIsWhatEachChoiceRunsOnHere() {
    assertThat(TransportChoice.AUTO.resolved()).isEqualTo(TransportChoice.IO_URING);
    assertThat(TransportChoice.NIO.resolved()).isEqualTo(TransportChoice.NIO);
    assertThat(TransportChoice.EPOLL.resolved()).isEqualTo(TransportChoice.EPOLL);
    assertThat(TransportChoice.IO_URING.resolved()).isEqualTo(TransportChoice.IO_URING);
    assertThat(TransportChoice.KQUEUE.resolved()).isEqualTo(TransportChoice.NIO);
  }

  @Test
  void autoRunsOnIoUringTheFastestHereWithoutALogLine() throws Exception {
    Vertx vertx = build(TransportChoice.AUTO);
    assertThat(TransportChoice.inUse(vertx)).isEqualTo(TransportChoice.IO_URING);
    assertThat(vertx.isNativeTransportEnabled()).isTrue();
    assertThat(served(vertx)).isEqualTo("200 served");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void eachTransportThatRunsHereRunsAsAskedWithoutALogLine() throws Exception {
    for (TransportChoice choice : List.of(TransportChoice.NIO, TransportChoice.EPOLL, TransportChoice.IO_URING)) {
      Vertx vertx = build(choice);
      assertThat(TransportChoice.inUse(vertx)).as(choice.label()).isEqualTo(choice);
      assertThat(vertx.isNativeTransportEnabled()).as(choice.label()).isEqualTo(choice != TransportChoice.NIO);
      assertThat(served(vertx)).isEqualTo("200 served");
    }
    assertThat(warnings()).isEmpty();
  }

  @Test
  void kqueueOnLinuxRunsOnNioWithOneLogLineSayingWhy() throws Exception {
    Vertx vertx = build(TransportChoice.KQUEUE);
    assertThat(TransportChoice.inUse(vertx)).isEqualTo(TransportChoice.NIO);
    assertThat(served(vertx)).isEqualTo("200 served");
    assertThat(warnings()).containsExactly(
        "svc: transport kqueue is not available here, running on nio (kqueue: " + KQUEUE_REASON + ")");
  }

  @Test
  void aDecoratedTransportIsTheOneItWraps() throws Exception {
    FirstHeadTimeout headersTimeout = new FirstHeadTimeout(Duration.ofSeconds(5), () -> {});
    Vertx vertx = build(TransportChoice.IO_URING, headersTimeout::wrap);
    assertThat(((VertxInternal) vertx).transport()).isInstanceOf(AcceptWatchingTransport.class);
    assertThat(TransportChoice.inUse(vertx)).isEqualTo(TransportChoice.IO_URING);
    assertThat(served(vertx)).isEqualTo("200 served");
    assertThat(warnings()).isEmpty();
  }

  /** A transport that says it can run until Vert.x starts it: Vert.x then runs on NIO by itself. */
  private static UnaryOperator<Transport> failingToStart(Throwable cause) {
    return asked -> new Transport() {
      @Override
      public String name() {
        return asked.name();
      }

      @Override
      public boolean available() {
        return true;
      }

      @Override
      public Throwable unavailabilityCause() {
        return null;
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        return new Refusing(cause);
      }
    };
  }

  private String fallbackReason(TransportChoice choice, Throwable cause) {
    logged.list.clear();
    Vertx vertx = build(choice, failingToStart(cause));
    assertThat(TransportChoice.inUse(vertx)).isEqualTo(TransportChoice.NIO);
    List<String> lines = warnings();
    assertThat(lines).hasSize(1);
    String prefix = "svc: transport " + choice.label() + " is not available here, running on nio (";
    assertThat(lines.get(0)).startsWith(prefix).endsWith(")");
    return lines.get(0).substring(prefix.length(), lines.get(0).length() - 1);
  }

  @Test
  void aTransportThatFailsToStartRunsOnNioAndTheLogLineGivesTheInnermostReasonsFirstLine() {
    assertThat(fallbackReason(TransportChoice.IO_URING, new IllegalStateException("outer",
        new RuntimeException("inner\nsecond line")))).isEqualTo("io_uring: inner");
    // An inner error without a message keeps the outer one's.
    assertThat(fallbackReason(TransportChoice.EPOLL, new IllegalStateException("outer", new RuntimeException())))
        .isEqualTo("epoll: outer");
    assertThat(fallbackReason(TransportChoice.IO_URING, new UnsatisfiedLinkError()))
        .isEqualTo("io_uring: UnsatisfiedLinkError");
    assertThat(fallbackReason(TransportChoice.IO_URING, null)).isEqualTo("io_uring: no cause given");
    assertThat(fallbackReason(TransportChoice.IO_URING, new RuntimeException("\nonly a second line")))
        .isEqualTo("io_uring: ");
    // A cause chain that loops on itself ends the walk there instead of spinning.
    assertThat(fallbackReason(TransportChoice.IO_URING, new IllegalStateException("outer", new SelfCaused("loops"))))
        .isEqualTo("io_uring: outer");
  }

  @Test
  void autoWhosePickFailsToStartRunsOnNioWithOneLogLine() {
    assertThat(fallbackReason(TransportChoice.AUTO, new IllegalStateException("refused")))
        .isEqualTo("io_uring: refused");
  }

  /** An error that names itself as its cause (Throwable's own getCause never does). */
  private static final class SelfCaused extends RuntimeException {
    SelfCaused(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable getCause() {
      return this;
    }
  }

  /** Vert.x's transport SPI, unavailable: Vert.x asks isAvailable() before starting and never uses the rest. */
  @SuppressWarnings("deprecation") // InternetProtocolFamily: the SPI's own signature
  private record Refusing(Throwable cause) implements io.vertx.core.spi.transport.Transport {
    @Override
    public boolean isAvailable() {
      return false;
    }

    @Override
    public Throwable unavailabilityCause() {
      return cause;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      throw new UnsupportedOperationException();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      throw new UnsupportedOperationException();
    }
  }
}
