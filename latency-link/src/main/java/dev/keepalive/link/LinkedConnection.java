package dev.keepalive.link;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One incoming connection and the one upstream connection the link opens for it, joined by two delay
 * lines. The clock starts when the client's connection is accepted: that is when the client sent its
 * SYN, as far as the emulated network is concerned. A close on either side reaches the other after
 * the bytes ahead of it; a reset arrives as a close.
 */
final class LinkedConnection {
  private final LinkStats stats;
  private final DelayLine up;
  private final DelayLine down;
  private boolean incomingOpen = true;
  private boolean upstreamOpen = true;

  private LinkedConnection(Vertx vertx, LinkConfig config, LinkStats stats, long connectedNanos) {
    this.stats = stats;
    this.up = new DelayLine(vertx, config, connectedNanos + config.clientFloorNanos(), stats::up, stats::chunkHeldBack,
        stats::queued);
    this.down = new DelayLine(vertx, config, connectedNanos + config.serverFloorNanos(), stats::down, stats::chunkHeldBack,
        stats::queued);
  }

  /** Runs on the event loop that accepted {@code incoming}; the upstream connection is opened from it, so shares it. */
  static void accept(Vertx vertx, NetClient client, LinkConfig config, LinkStats stats, NetSocket incoming) {
    stats.opened();
    LinkedConnection c = new LinkedConnection(vertx, config, stats, System.nanoTime());
    c.up.from(incoming);
    c.down.to(incoming);
    incoming.handler(c.up::send);
    incoming.exceptionHandler(e -> {}); // a reset: the close handler follows
    incoming.closeHandler(v -> c.incomingClosed());
    client.connect(config.targets().next()).onComplete(ar -> {
      if (ar.failed()) {
        stats.refused();
        c.upstreamClosed();
        return;
      }
      NetSocket upstream = ar.result();
      c.down.from(upstream);
      c.up.to(upstream);
      upstream.handler(c.down::send);
      upstream.exceptionHandler(e -> {});
      upstream.closeHandler(v -> c.upstreamClosed());
    });
  }

  private void incomingClosed() {
    incomingOpen = false;
    down.drop();
    up.end();
    closedIfBoth();
  }

  private void upstreamClosed() {
    upstreamOpen = false;
    up.drop();
    down.end();
    closedIfBoth();
  }

  private void closedIfBoth() {
    if (!incomingOpen && !upstreamOpen) {
      stats.closed();
    }
  }
}
