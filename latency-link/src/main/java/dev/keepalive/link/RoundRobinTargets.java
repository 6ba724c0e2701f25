package dev.keepalive.link;

import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Several targets, one per incoming connection in turn, as kube-proxy spreads a Service's connections over its
 * pods: every byte of a connection goes to the target it was given when it opened. A target added while running
 * ({@link #add}) gets only connections opened after that: the L4 balancer of keep-alive's scale-out trap.
 */
public final class RoundRobinTargets implements Targets {
  private final List<HostPort> targets;
  private final AtomicLong next = new AtomicLong();

  public RoundRobinTargets(List<HostPort> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("Invalid value for --to: give at least one host:port");
    }
    this.targets = new CopyOnWriteArrayList<>(targets);
  }

  @Override
  public SocketAddress next() {
    List<HostPort> now = targets;
    return now.get((int) Math.floorMod(next.getAndIncrement(), (long) now.size())).toSocketAddress();
  }

  /** A target that takes its turn from the next connection on; false if it was there already. */
  public boolean add(HostPort target) {
    return ((CopyOnWriteArrayList<HostPort>) targets).addIfAbsent(target);
  }

  public List<HostPort> targets() {
    return List.copyOf(targets);
  }

  @Override
  public String describe() {
    return targets.size() == 1 ? targets.get(0).toString()
        : targets.stream().map(HostPort::toString).collect(Collectors.joining(", ")) + " (round robin per connection)";
  }
}
