package dev.keepalive.common;

import java.io.IOException;
import java.io.UncheckedIOException;
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
}
