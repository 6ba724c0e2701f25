package dev.keepalive.link;

import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * Where the link sends each incoming connection: asked once per connection, so every incoming
 * connection has exactly one upstream connection. One target, or several in turn (round robin per
 * connection, targets added while running: {@link RoundRobinTargets}).
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

  /** One target as it is; several in turn, one per connection ({@link RoundRobinTargets}). */
  static Targets of(List<HostPort> targets) {
    return targets.size() == 1 ? of(targets.get(0)) : new RoundRobinTargets(targets);
  }
}
