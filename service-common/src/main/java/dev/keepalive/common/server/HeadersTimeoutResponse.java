package dev.keepalive.common.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;

/**
 * The 408 for a request whose headers never completed. Vert.x has no request to answer yet, so the response goes
 * straight to the connection's Netty channel (through its HTTP encoder), then the connection is closed. Over
 * HTTP/2 there is no half-sent request line to answer: the connection is only closed.
 */
final class HeadersTimeoutResponse {
  private HeadersTimeoutResponse() {}

  /** The 408's error text, naming the flag. */
  static String message(java.time.Duration timeout) {
    return "request line and headers not complete within " + dev.keepalive.common.DurationConverter.format(timeout)
        + " (--headers-timeout)";
  }

  static void sendAndClose(HttpConnection connection, String message) {
    if (connection instanceof ConnectionBase base && !(connection.protocolVersion() == io.vertx.core.http.HttpVersion.HTTP_2)) {
      sendAndClose(base.channel(), message);
    } else {
      connection.close();
    }
  }

  /**
   * @param channel a connection Vert.x may not have set up for HTTP yet (its first bytes still being read): then an
   *     HTTP/1.1 encoder is put in front for this one answer. A TLS connection without an encoder has not finished
   *     its handshake: it is only closed.
   */
  static void sendAndClose(Channel channel, String message) {
    if (channel.pipeline().get(HttpResponseEncoder.class) == null) {
      if (channel.pipeline().get(SslHandler.class) != null) {
        channel.close();
        return;
      }
      channel.pipeline().addFirst(new HttpResponseEncoder());
    }
    byte[] body = new JsonObject().put("error", message).put("status", 408).encode().getBytes(StandardCharsets.UTF_8);
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, "close");
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
