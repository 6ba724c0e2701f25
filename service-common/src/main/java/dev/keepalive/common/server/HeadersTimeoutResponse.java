package dev.keepalive.common.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
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

  static void sendAndClose(HttpConnection connection, String message) {
    if (connection instanceof ConnectionBase base && !(connection.protocolVersion() == io.vertx.core.http.HttpVersion.HTTP_2)) {
      byte[] body = new JsonObject().put("error", message).put("status", 408).encode().getBytes(StandardCharsets.UTF_8);
      DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
          .set(HttpHeaderNames.CONNECTION, "close");
      base.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      connection.close();
    }
  }
}
