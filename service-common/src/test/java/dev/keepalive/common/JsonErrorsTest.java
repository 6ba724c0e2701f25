package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error a service answers is JSON: a real Vert.x server on loopback, spoken to over a raw socket. */
class JsonErrorsTest {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: (\\d+)");
  Vertx vertx;
  int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/ok").handler(ctx -> ctx.response().end("ok"));
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("boom");
    });
    router.get("/teapot").handler(ctx -> {
      JsonErrors.send(ctx, 418, "short and stout");
      JsonErrors.send(ctx, 500, "a second answer is never sent");
    });
    JsonErrors.install(router);
    HttpServer server = vertx.createHttpServer().invalidRequestHandler(JsonErrors::invalidRequest).requestHandler(router)
        .listen(0, "127.0.0.1").await();
    port = server.actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** One request on a fresh connection; the whole answer up to the server's close or the body's end. */
  String exchange(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      // Until the body is complete: a server that closes with request bytes unread may reset the connection after.
      for (int n; (n = in.read(buf)) > 0; ) {
        answer.write(buf, 0, n);
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        Matcher length = CONTENT_LENGTH.matcher(text);
        if (headerEnd > 0 && length.find() && text.length() >= headerEnd + 4 + Integer.parseInt(length.group(1))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  static JsonObject body(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void unknownPathIs404Json() throws Exception {
    String r = exchange("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 404 ").containsIgnoringCase("content-type: application/json");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "no such path: /nothing").put("status", 404));
  }

  @Test
  void wrongMethodIs405Json() throws Exception {
    String r = exchange("POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 405 ");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "method POST not allowed on /ok").put("status", 405));
  }

  @Test
  void aFailingHandlerIs500JsonWithoutTheStackTrace() throws Exception {
    String r = exchange("GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 500 ").doesNotContain("IllegalStateException");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "internal error").put("status", 500));
  }

  @Test
  void sendAnswersOnce() throws Exception {
    String r = exchange("GET /teapot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 418 ");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "short and stout").put("status", 418));
  }

  @Test
  void aTooLongRequestLineIs414JsonAndTheConnectionCloses() throws Exception {
    String r = exchange("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    // The request line was never read, so neither was its version: Vert.x answers as HTTP/1.0.
    assertThat(r).startsWith("HTTP/1.0 414 ").containsIgnoringCase("connection: close");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "request line too long").put("status", 414));
  }

  @Test
  void tooLargeHeadersAre431Json() throws Exception {
    String r = exchange("GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 431 ");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "request headers too large").put("status", 431));
  }

  @Test
  void garbageIs400Json() throws Exception {
    String r = exchange("GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 400 ");
    assertThat(body(r)).isEqualTo(new JsonObject().put("error", "malformed HTTP request").put("status", 400));
  }
}
