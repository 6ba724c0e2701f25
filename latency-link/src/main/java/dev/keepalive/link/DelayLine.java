package dev.keepalive.link;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * One direction of one linked connection. Each chunk read from the source gets a release time (now
 * plus the one-way delay, never before the connection's floor, never before the chunk ahead of it),
 * waits in a queue, and is written to the destination when its time comes. Release times only grow,
 * so bytes keep their order whatever the jitter, and one timer (for the head of the queue) serves the
 * whole queue. Memory is bounded: above {@link #HIGH_WATER} queued bytes the source is paused, and a
 * destination whose write queue is full is waited for.
 * <p>
 * Runs on the connection's event loop only: no locks.
 */
final class DelayLine {
  static final int HIGH_WATER = 1 << 20;
  static final int LOW_WATER = HIGH_WATER / 4;

  /** A chunk of bytes, or (data null) the source's close. */
  private record Packet(long releaseNanos, Buffer data) {}

  private final Vertx vertx;
  private final LinkConfig config;
  private final long floorNanos;
  private final IntConsumer carried;
  private final Runnable heldBack;
  private final LongConsumer queued;
  private final ArrayDeque<Packet> queue = new ArrayDeque<>();
  private NetSocket source;
  private NetSocket destination;
  private long lastRelease;
  private long queuedBytes;
  private long timer = -1;
  private boolean sourcePaused;
  private boolean waitingForDrain;
  private boolean ended;
  private boolean dropped;

  /**
   * @param floorNanos the earliest release time (System.nanoTime) of any chunk: the handshake's share
   * @param carried told the size of each chunk written
   * @param heldBack told of each chunk held back one RTT (--loss)
   * @param queued told how many bytes wait after each chunk read: the link's memory for this direction
   */
  DelayLine(Vertx vertx, LinkConfig config, long floorNanos, IntConsumer carried, Runnable heldBack,
      LongConsumer queued) {
    this.heldBack = heldBack;
    this.queued = queued;
    this.vertx = vertx;
    this.config = config;
    this.floorNanos = floorNanos;
    this.carried = carried;
  }

  /** The socket this direction reads from: paused when too much waits. */
  void from(NetSocket source) {
    this.source = source;
    if (queuedBytes >= HIGH_WATER) {
      pauseSource();
    }
  }

  /** The socket this direction writes to; chunks wait for it (the upstream connect) if they are due sooner. */
  void to(NetSocket destination) {
    this.destination = destination;
    destination.drainHandler(v -> {
      waitingForDrain = false;
      release();
    });
    schedule();
  }

  /** A chunk read from the source. */
  void send(Buffer data) {
    if (dropped || ended) {
      return;
    }
    queuedBytes += data.length();
    queued.accept(queuedBytes);
    enqueue(data);
    if (queuedBytes >= HIGH_WATER) {
      pauseSource();
    }
  }

  /** The source closed: the destination is closed once everything before it has been delivered. */
  void end() {
    if (dropped || ended) {
      return;
    }
    ended = true;
    enqueue(null);
  }

  /** The destination is gone: what waits for it is thrown away, as a network would. */
  void drop() {
    dropped = true;
    queue.clear();
    queuedBytes = 0;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void enqueue(Buffer data) {
    long release = Math.max(Math.max(System.nanoTime() + config.oneWayNanos(), floorNanos), lastRelease);
    if (data != null && config.loses()) {
      // A lost segment arrives one RTT late, as its retransmission would; release times only grow, so every byte
      // behind it waits too: TCP's head-of-line blocking.
      release += config.rtt().toNanos();
      heldBack.run();
    }
    lastRelease = release;
    queue.add(new Packet(release, data));
    if (queue.size() == 1) {
      schedule();
    }
  }

  /** Arms the one timer for the head of the queue, or releases it now if it is due. */
  private void schedule() {
    Packet head = queue.peek();
    if (head == null || timer != -1 || waitingForDrain || destination == null || dropped) {
      return;
    }
    long wait = head.releaseNanos - System.nanoTime();
    if (wait <= 0) {
      release();
      return;
    }
    // Whole milliseconds, rounded up: a chunk may leave a little late, never early.
    timer = vertx.setTimer((wait + 999_999) / 1_000_000, id -> {
      timer = -1;
      release();
    });
  }

  /** Writes every chunk that is due, then re-arms for the next. */
  private void release() {
    if (dropped || destination == null) {
      return;
    }
    long now = System.nanoTime();
    Packet head;
    while ((head = queue.peek()) != null && head.releaseNanos <= now) {
      if (head.data == null) {
        queue.poll();
        destination.end();
        return;
      }
      if (destination.writeQueueFull()) {
        waitingForDrain = true;
        return;
      }
      queue.poll();
      queuedBytes -= head.data.length();
      destination.write(head.data);
      carried.accept(head.data.length());
    }
    if (sourcePaused && queuedBytes <= LOW_WATER) {
      sourcePaused = false;
      source.resume();
    }
    schedule();
  }

  private void pauseSource() {
    if (!sourcePaused && source != null) {
      sourcePaused = true;
      source.pause();
    }
  }
}
