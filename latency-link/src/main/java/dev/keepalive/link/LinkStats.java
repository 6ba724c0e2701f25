package dev.keepalive.link;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the link carried: connections (each one incoming and its one upstream) and bytes each way. */
public final class LinkStats {

  /**
   * @param opened incoming connections accepted
   * @param closed of those, the ones whose both sides are closed
   * @param refused of those, the ones whose upstream connection could not be opened
   */
  public record Snapshot(long opened, long closed, long refused, long bytesUp, long bytesDown) {
    /** Connections the link holds now: an incoming side or an upstream side still open. */
    public long active() {
      return opened - closed;
    }
  }

  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final LongAdder bytesUp = new LongAdder();
  private final LongAdder bytesDown = new LongAdder();

  void opened() {
    opened.incrementAndGet();
  }

  void closed() {
    closed.incrementAndGet();
  }

  void refused() {
    refused.incrementAndGet();
  }

  void up(int bytes) {
    bytesUp.add(bytes);
  }

  void down(int bytes) {
    bytesDown.add(bytes);
  }

  public Snapshot snapshot() {
    // closed first: a snapshot never shows more closed than opened
    long c = closed.get();
    return new Snapshot(opened.get(), c, refused.get(), bytesUp.sum(), bytesDown.sum());
  }
}
