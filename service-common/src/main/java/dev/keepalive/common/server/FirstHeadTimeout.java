package dev.keepalive.common.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code --headers-timeout} for a server that keeps h2c on (the upstream: the gateway's {@code --http2} speaks h2c).
 * With h2c on, Vert.x 5.1.6 runs the server's connection handler only once the first request head is complete (or
 * the HTTP/2 preface has arrived), too late to start a timer there. So the timer starts at TCP accept, from a handler
 * Netty runs on each accepted connection ({@link AcceptWatchingTransport}); Vert.x's connection handler, or the first
 * request, stops it ({@link #arrived}). When it fires: a 408 with a JSON body and a close.
 *
 * <p>Covers a connection's first request; {@link LaterHeadsTimeout} covers the ones after it.
 */
public final class FirstHeadTimeout {
  private final Duration timeout;
  private final Runnable onTimeout;
  private final String message;
  private final Set<Integer> ports = ConcurrentHashMap.newKeySet();
  private final ChannelHandler watcher = new AcceptWatcher();

  /** @param onTimeout run for each connection closed by the timeout (a metric) */
  public FirstHeadTimeout(Duration timeout, Runnable onTimeout) {
    this.timeout = timeout;
    this.onTimeout = onTimeout;
    this.message = HeadersTimeoutResponse.message(timeout);
  }

  /** The transport to build Vert.x with: {@code transport} with the accept hook (unchanged when the timeout is 0). */
  public Transport wrap(Transport transport) {
    if (timeout.isZero()) {
      return transport;
    }
    AcceptWatchingTransport watching = new AcceptWatchingTransport(transport.implementation(), watcher);
    return new Transport() {
      @Override
      public String name() {
        return transport.name();
      }

      @Override
      public boolean available() {
        return transport.available();
      }

      @Override
      public Throwable unavailabilityCause() {
        return transport.unavailabilityCause();
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        return watching;
      }
    };
  }

  /** Applies the timeout to connections on this port (others of the same Vert.x, e.g. --metrics-port, are left be). */
  public void guard(int port) {
    ports.add(port);
  }

  /**
   * The connection's first request head (or HTTP/2 preface) is complete: stop its timer. Call it from the connection
   * handler for cleartext and HTTP/2 connections, from the first request otherwise (a TLS connection reaches the
   * connection handler once its handshake is done, before any request).
   */
  public void arrived(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      Channel channel = base.channel();
      Deadline deadline = channel.pipeline().get(Deadline.class);
      if (deadline != null) {
        try {
          channel.pipeline().remove(deadline);
        } catch (NoSuchElementException alreadyGone) {
          // removed meanwhile by its own expiry: nothing to stop
        }
      }
    }
  }

  /** On each server channel, before Netty's acceptor: gives every accepted connection its deadline. */
  @ChannelHandler.Sharable
  private final class AcceptWatcher extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child) {
        child.pipeline().addFirst(new Deadline());
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** One accepted connection's timer, from accept until its first request head. */
  private final class Deadline extends ChannelInboundHandlerAdapter {
    private ScheduledFuture<?> timer;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        arm(ctx);
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      arm(ctx);
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      cancel();
    }

    private void arm(ChannelHandlerContext ctx) {
      if (timer == null) {
        timer = ctx.executor().schedule(() -> expire(ctx), Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      }
    }

    private void cancel() {
      if (timer != null) {
        timer.cancel(false);
      }
    }

    private void expire(ChannelHandlerContext ctx) {
      Channel channel = ctx.channel();
      if (ctx.isRemoved() || !channel.isActive()) {
        return;
      }
      if (!(channel.localAddress() instanceof InetSocketAddress local) || !ports.contains(local.getPort())) {
        ctx.pipeline().remove(this); // a server this timeout does not apply to
        return;
      }
      onTimeout.run();
      if (channel.pipeline().get(Http2ConnectionHandler.class) != null) {
        channel.close(); // an HTTP/2 preface Vert.x never reported: nothing to answer in HTTP/1.1
      } else {
        HeadersTimeoutResponse.sendAndClose(channel, message);
      }
    }
  }
}
