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
  private final LongAdder datagramsForwarded = new LongAdder();
  private final LongAdder datagramsDropped = new LongAdder();
  private final LongAdder chunksHeldBack = new LongAdder();
  private final AtomicLong peakQueued = new AtomicLong();
  private final LongAdder quicInitials = new LongAdder();
  private final LongAdder quicRetries = new LongAdder();

  /** A client's datagram that starts with a QUIC Initial packet (a handshake's first flight, or its repeat). */
  void quicInitial() {
    quicInitials.increment();
  }

  /** A server's QUIC Retry packet: the client must start its handshake again, one round trip later. */
  void quicRetry() {
    quicRetries.increment();
  }

  private final LongAdder quicHandshakes = new LongAdder();
  private final LongAdder quicHandshakeRoundTrips = new LongAdder();

  /** A client sent its first 1-RTT datagram after waiting this many round trips (see QuicHandshakeTurns). */
  void quicHandshake(int roundTrips) {
    quicHandshakeRoundTrips.add(roundTrips);
    quicHandshakes.increment();
  }

  /** QUIC handshakes seen through to the client's first 1-RTT datagram. */
  public long quicHandshakes() {
    return quicHandshakes.sum();
  }

  /** The round trips those handshakes waited for, summed. */
  public long quicHandshakeRoundTrips() {
    return quicHandshakeRoundTrips.sum();
  }

  public long quicInitials() {
    return quicInitials.sum();
  }

  public long quicRetries() {
    return quicRetries.sum();
  }

  /** A UDP datagram passed on, either way. */
  void datagramForwarded() {
    datagramsForwarded.increment();
  }

  /** A UDP datagram lost (--loss), either way. */
  void datagramDropped() {
    datagramsDropped.increment();
  }

  /** A TCP chunk held back one RTT (--loss), either way. */
  void chunkHeldBack() {
    chunksHeldBack.increment();
  }

  public long datagramsForwarded() {
    return datagramsForwarded.sum();
  }

  public long datagramsDropped() {
    return datagramsDropped.sum();
  }

  public long chunksHeldBack() {
    return chunksHeldBack.sum();
  }

  /** Bytes one direction of one connection holds after a read; the link's memory stays bounded by their peak. */
  void queued(long bytes) {
    if (bytes > peakQueued.get()) {
      peakQueued.accumulateAndGet(bytes, Math::max);
    }
  }

  /** The most bytes one direction of one connection has held at once (DelayLine.HIGH_WATER plus a read at most). */
  public long peakQueuedBytes() {
    return peakQueued.get();
  }

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
