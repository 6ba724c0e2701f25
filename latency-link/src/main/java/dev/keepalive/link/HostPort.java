package dev.keepalive.link;

import io.vertx.core.net.SocketAddress;
import picocli.CommandLine;

/** A {@code host:port} as the link's flags take it: where it listens, and where it forwards to. */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a host is required");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
    }
  }

  /** {@code host:port}, {@code [::1]:port}; with {@code defaultHost}, a bare port too (null: the host is required). */
  public static HostPort parse(String text, String defaultHost) {
    String t = text == null ? "" : text.trim();
    int colon = t.lastIndexOf(':');
    String host = colon < 0 ? defaultHost : t.substring(0, colon);
    String port = colon < 0 ? t : t.substring(colon + 1);
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host == null || host.isBlank() || !port.matches("\\d{1,5}")) {
      String form = defaultHost == null ? "host:port, e.g. localhost:8081" : "[host:]port, e.g. 8181 or 0.0.0.0:8181";
      throw new IllegalArgumentException("'" + text + "' is not " + form);
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  public SocketAddress toSocketAddress() {
    return SocketAddress.inetSocketAddress(port, host);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code --to}: the host is required. */
  public static final class TargetConverter implements CommandLine.ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        HostPort hp = parse(value, null);
        if (hp.port() == 0) {
          throw new IllegalArgumentException("'" + value + "' has port 0: give the port the upstream listens on");
        }
        return hp;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --listen}: a bare port listens on every interface. */
  public static final class ListenConverter implements CommandLine.ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return parse(value, "0.0.0.0");
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
