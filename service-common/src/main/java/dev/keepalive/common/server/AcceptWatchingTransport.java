package dev.keepalive.common.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport (NIO, epoll, io_uring, kqueue) that puts one handler on every TCP server channel it opens, in
 * front of Netty's acceptor: the handler sees each accepted connection before Vert.x does. Vert.x 5.1.6 offers no
 * other hook at accept time (its connection handler runs only once the first request head is complete when h2c is
 * on). Everything else is the wrapped transport's.
 */
@SuppressWarnings("deprecation") // InternetProtocolFamily: the SPI's own signature
public final class AcceptWatchingTransport implements Transport {
  private final Transport delegate;
  private final ChannelHandler watcher;

  /** @param watcher sharable; its channelRead gets each accepted child {@link Channel} (pass it on) */
  AcceptWatchingTransport(Transport delegate, ChannelHandler watcher) {
    this.delegate = delegate;
    this.watcher = watcher;
  }

  /** The transport wrapped, e.g. to tell which one runs. */
  public Transport delegate() {
    return delegate;
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    ChannelFactory<? extends ServerChannel> factory = delegate.serverChannelFactory(domainSocket);
    return () -> {
      ServerChannel channel = factory.newChannel();
      // Added before ServerBootstrap adds its acceptor, so it comes first.
      channel.pipeline().addLast(watcher);
      return channel;
    };
  }

  @Override
  public boolean supportsDomainSockets() {
    return delegate.supportsDomainSockets();
  }

  @Override
  public boolean supportFileRegion() {
    return delegate.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return delegate.ioHandlerFactory();
  }

  @Override
  public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
  }

  @Override
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return delegate.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
    return delegate.datagramChannelFactory();
  }

  @Override
  public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
    return delegate.channelFactory(domainSocket);
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    delegate.configure(channel, options);
  }

  @Override
  public void configure(TcpConfig config, boolean domainSocket, Bootstrap bootstrap) {
    delegate.configure(config, domainSocket, bootstrap);
  }

  @Override
  public void configure(TcpConfig config, boolean domainSocket, ServerBootstrap bootstrap) {
    delegate.configure(config, domainSocket, bootstrap);
  }
}
