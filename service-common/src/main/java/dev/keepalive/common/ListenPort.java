package dev.keepalive.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The port every verticle instance of a service listens on. Vert.x shares a listening port between
 * instances only when they ask for the same number, and each instance asking for port 0 would get a
 * port of its own: so with several instances, {@code --port 0} is turned into one free port first.
 */
public final class ListenPort {
  private ListenPort() {}

  public static int resolve(String host, int port, int instances) {
    if (port != 0 || instances == 1) {
      return port;
    }
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  /**
   * Like {@link #resolve}, for a server on TCP and UDP alike (HTTP/3 beside HTTP/1.1 and HTTP/2): the same number
   * on both, so {@code --port 0} is turned into a port free for both first.
   */
  public static int resolveTcpAndUdp(String host, int port) {
    if (port != 0) {
      return port;
    }
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName(host));
          DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getByName(host))) {
        return udp.getLocalPort();
      } catch (IOException taken) {
        last = taken; // that number is in use for UDP: try another
      }
    }
    throw new UncheckedIOException("no port free for both TCP and UDP on " + host, last);
  }
}
