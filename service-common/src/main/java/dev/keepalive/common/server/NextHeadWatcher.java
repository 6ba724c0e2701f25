package dev.keepalive.common.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Supplier;

/**
 * Notices the first bytes of a connection's next request, which Vert.x does not report (it reports a request only once
 * its head is complete): as Node, a kept-alive connection's idle timer stops there and the headers timeout starts. A
 * Netty handler at the front of the connection's pipeline; it only looks, every byte goes on to Vert.x unchanged.
 */
final class NextHeadWatcher extends ChannelInboundHandlerAdapter {
  private final Supplier<Runnable> beforeRead;

  /**
   * @param beforeRead asked on the event loop before Vert.x reads the bytes: what to run once it has (null: nothing,
   *     a request is in progress)
   */
  NextHeadWatcher(Supplier<Runnable> beforeRead) {
    this.beforeRead = beforeRead;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Runnable after = beforeRead.get();
    ctx.fireChannelRead(msg);
    if (after != null) {
      after.run();
    }
  }
}
