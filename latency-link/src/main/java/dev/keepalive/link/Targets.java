package dev.keepalive.link;

import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * Where the link sends each incoming connection: asked once per connection, so every incoming
 * connection has exactly one upstream connection. One target today; several (round robin per
 * connection, targets added while running) fit behind the same two methods.
 */
public interface Targets {

  /** The upstream address for the next incoming connection. */
  SocketAddress next();

  /** What the start line prints. */
  String describe();

  static Targets of(HostPort target) {
    SocketAddress address = target.toSocketAddress();
    return new Targets() {
      @Override
      public SocketAddress next() {
        return address;
      }

      @Override
      public String describe() {
        return target.toString();
      }
    };
  }

  static Targets of(List<HostPort> targets) {
    if (targets.size() != 1) {
      throw new IllegalArgumentException("Invalid value for --to: exactly one host:port is supported");
    }
    return of(targets.get(0));
  }
}
