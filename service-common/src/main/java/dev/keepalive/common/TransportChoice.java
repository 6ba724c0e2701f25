package dev.keepalive.common;

import dev.keepalive.common.server.AcceptWatchingTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --transport} flag: which Netty transport runs Vert.x's event loops. The native ones need their jar
 * (service-common brings Linux x86-64 and aarch64 for epoll and io_uring, macOS for kqueue) and a kernel that
 * allows them; when the one asked for cannot run, Vert.x runs on NIO and one log line says why.
 */
public enum TransportChoice {
  /** The fastest transport this machine can run: the first available of {@link #AUTO_ORDER}, else NIO. */
  AUTO,
  /** The JDK's selector: always available. */
  NIO,
  /** Linux epoll. */
  EPOLL,
  /** Linux io_uring (kernel 5.14 or later, not disabled by {@code /proc/sys/kernel/io_uring_disabled}). */
  IO_URING,
  /** macOS and BSD kqueue. */
  KQUEUE;

  /**
   * What {@code auto} tries, fastest first. io_uring before epoll before NIO: measured with scripts/bench on a
   * 2-core VM, kernel 6.18 (docs/transports.md). Only one of epoll/io_uring and kqueue can exist on an OS.
   */
  static final List<TransportChoice> AUTO_ORDER = List.of(IO_URING, EPOLL, KQUEUE);

  private static final Logger LOG = LoggerFactory.getLogger(TransportChoice.class);

  /** As the flag and the JSON spell it: auto, nio, epoll, io_uring, kqueue. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Builds Vert.x on this transport. When it cannot run here, Vert.x runs on NIO and one line is logged naming
   * what was asked and why it is not available.
   */
  public Vertx build(VertxBuilder builder, String service) {
    return build(builder, service, UnaryOperator.identity());
  }

  /** @param decorate what Vert.x gets instead of the chosen transport, e.g. {@code FirstHeadTimeout::wrap} */
  public Vertx build(VertxBuilder builder, String service, UnaryOperator<Transport> decorate) {
    List<String> causes = new ArrayList<>();
    TransportChoice chosen = NIO;
    for (TransportChoice candidate : this == AUTO ? AUTO_ORDER : List.of(this)) {
      String cause = candidate.unavailability();
      if (cause == null) {
        chosen = candidate;
        break;
      }
      causes.add(candidate.label() + ": " + cause);
    }
    Vertx vertx = builder.withTransport(decorate.apply(chosen.transport())).build();
    // Vert.x also falls back by itself when a transport fails to start: believe the instance, not the choice.
    if (chosen != NIO && !vertx.isNativeTransportEnabled()) {
      causes.add(chosen.label() + ": " + describe(vertx.unavailableNativeTransportCause()));
    }
    if (!causes.isEmpty() && (this != AUTO || inUse(vertx) == NIO)) {
      LOG.warn("{}: transport {} is not available here, running on {} ({})", service, label(), inUse(vertx).label(),
          String.join("; ", causes));
    }
    return vertx;
  }

  /** The transport {@link #build} will run on here: this one, auto's pick, or NIO when it cannot run. */
  public TransportChoice resolved() {
    for (TransportChoice candidate : this == AUTO ? AUTO_ORDER : List.of(this)) {
      if (candidate.unavailability() == null) {
        return candidate;
      }
    }
    return NIO;
  }

  /** Why this transport cannot run here, or null when it can. */
  String unavailability() {
    if (this == NIO) {
      return null;
    }
    Transport t = transport();
    if (t == null) {
      return "netty-transport-native-" + label() + " is not on the class path";
    }
    return t.available() ? null : describe(t.unavailabilityCause());
  }

  /** Vert.x's transport for this choice; null when its jar is missing (Vert.x then cannot load it). */
  private Transport transport() {
    return switch (this) {
      case AUTO, NIO -> Transport.NIO;
      case EPOLL -> Transport.EPOLL;
      case IO_URING -> Transport.IO_URING;
      case KQUEUE -> Transport.KQUEUE;
    };
  }

  /** The transport a running Vert.x instance uses (never {@link #AUTO}). */
  public static TransportChoice inUse(Vertx vertx) {
    io.vertx.core.spi.transport.Transport running = ((VertxInternal) vertx).transport();
    if (running instanceof AcceptWatchingTransport watching) {
      running = watching.delegate();
    }
    for (TransportChoice native_ : AUTO_ORDER) {
      Transport t = native_.transport();
      if (t != null && t.implementation() == running) {
        return native_;
      }
    }
    return NIO;
  }

  /** The innermost message (Netty wraps the reason, e.g. "Only supported on OSX/BSD", in initializer errors). */
  private static String describe(Throwable cause) {
    String message = null;
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      message = t.getMessage() != null ? t.getMessage() : message != null ? message : t.getClass().getSimpleName();
    }
    if (message == null) {
      return "no cause given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
