package dev.keepalive.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real DNS server on loopback (UDP) answering one name with one IPv4 address and Docker's 600 s TTL: the
 * address can be changed while the gateway runs, as when compose re-creates the upstream container.
 */
final class LoopbackDnsServer implements AutoCloseable {
  static final long DOCKER_TTL_SECONDS = 600;

  private final String name;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private final AtomicInteger addressQueries = new AtomicInteger();
  private volatile byte[] address;

  LoopbackDnsServer(String name, String address) throws InterruptedException {
    this.name = name.endsWith(".") ? name : name + ".";
    answer(address);
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answerer());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  /** From now on the name resolves to this address. */
  void answer(String newAddress) {
    try {
      address = InetAddress.getByName(newAddress).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(newAddress, e);
    }
  }

  /** host:port, as --dns-servers takes it. */
  String hostPort() {
    return "127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** A (IPv4) queries answered for the name. */
  int addressQueries() {
    return addressQueries.get();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true).setAuthoritativeAnswer(true);
      response.addRecord(DnsSection.QUESTION, question);
      // Other types (AAAA) get an empty answer: the name exists, with an IPv4 address only.
      if (question.type() == DnsRecordType.A && question.name().equalsIgnoreCase(name)) {
        addressQueries.incrementAndGet();
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
            DOCKER_TTL_SECONDS, Unpooled.wrappedBuffer(address)));
      }
      ctx.writeAndFlush(response);
    }
  }
}
