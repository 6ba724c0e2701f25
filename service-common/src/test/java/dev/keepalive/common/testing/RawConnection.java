package dev.keepalive.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One TCP connection to a server, written and read byte by byte: for what an HTTP client library hides. */
public final class RawConnection implements AutoCloseable {
  public final Socket socket;
  public final long openedNanos = System.nanoTime();
  private final InputStream in;

  public RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
  }

  public void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** A complete GET on this connection, kept alive; returns the response head and body. */
  public String get(String path) throws IOException {
    send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return readResponse();
  }

  /** One response: its head, then Content-Length bytes of body. */
  public String readResponse() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed after " + head.size() + " bytes: " + head.toString(StandardCharsets.US_ASCII));
      head.write(b);
    }
    String h = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Everything the server sends until it closes the connection (a reset counts as a close). */
  public String readUntilClosed(Duration atMost) throws IOException {
    socket.setSoTimeout((int) atMost.toMillis());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0; ) all.write(buf, 0, n);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + atMost + "; received: " + all.toString(StandardCharsets.UTF_8));
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
