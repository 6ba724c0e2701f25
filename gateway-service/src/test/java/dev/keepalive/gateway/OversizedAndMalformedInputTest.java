package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests Netty cannot or should not take, on both services: a 4xx with a JSON body, never a hang. */
class OversizedAndMalformedInputTest {
  static Stack stack;

  @BeforeAll
  static void start() {
    stack = Stack.start(u -> u, c -> c);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  record Raw(int status, String body) {}

  /** Sends bytes as they are and reads the answer until the server closes or the body is complete. */
  static Raw raw(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        String text = out.toString(StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd > 0 && text.toLowerCase().contains("content-length: ")) {
          int len = Integer.parseInt(text.toLowerCase().replaceAll("(?s).*content-length: (\\d+).*", "$1"));
          if (text.length() >= headerEnd + 4 + len) break;
        }
      }
      String text = out.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(text.substring(9, 12));
      return new Raw(status, text.substring(text.indexOf("\r\n\r\n") + 4));
    }
  }

  static void bothServices(String request, int status, String error) throws IOException {
    for (int port : new int[] {stack.gateway.port(), stack.upstream.port()}) {
      Raw r = raw(port, request);
      assertThat(r.status()).as("port %d", port).isEqualTo(status);
      assertThat(new JsonObject(r.body()).getString("error")).contains(error);
    }
  }

  @Test
  void anOversizedRequestLineIs414() throws IOException {
    bothServices("GET /fanout?calls=" + "9".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "request line too long");
  }

  @Test
  void oversizedHeadersAre431() throws IOException {
    bothServices("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431,
        "request headers too large");
  }

  @Test
  void garbageIs400() throws IOException {
    bothServices("HELLO THERE\r\n\r\n", 400, "malformed HTTP request");
  }

  @Test
  void otherMethodsAre405() throws IOException {
    Raw r = raw(stack.gateway.port(), "POST /fanout HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(405);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("method POST not allowed on /fanout");
  }

  @Test
  void metricsCanLiveOnAPortOfTheirOwn() {
    // The stack serves /metrics apart: the service port does not expose them.
    assertThat(Http.get(stack.gateway.baseUrl() + "/metrics").status()).isEqualTo(404);
    assertThat(Http.get(stack.gateway.metricsUrl()).status()).isEqualTo(200);
    assertThat(Http.get(stack.upstream.baseUrl() + "/metrics").status()).isEqualTo(404);
  }
}
