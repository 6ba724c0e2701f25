package dev.keepalive.link;

import dev.keepalive.common.DurationConverter;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the link is told: where it listens, where it forwards, and the network it emulates.
 *
 * @param rtt the round trip: each byte waits half of it in each direction, and a new connection
 *     pays one more before the client's first byte may leave (its SYN / SYN-ACK)
 * @param jitter each one-way delay varies uniformly within ±jitter/2, so a round trip varies within
 *     ±jitter and averages the RTT; it never reorders bytes of a connection
 * @param eventLoops event loops the link's connections are spread over
 */
public record LinkConfig(HostPort listen, Targets targets, Duration rtt, Duration jitter, int eventLoops) {

  public LinkConfig {
    checkRoundTrip(rtt, jitter);
    if (eventLoops < 1 || eventLoops > 1024) {
      throw new IllegalArgumentException("Invalid value for --event-loops: " + eventLoops + " (must be 1 to 1024)");
    }
  }

  /** The rules for --rtt and --rtt-jitter, wherever they are given. */
  public static void checkRoundTrip(Duration rtt, Duration jitter) {
    if (rtt.isNegative()) {
      throw new IllegalArgumentException("Invalid value for --rtt: " + DurationConverter.format(rtt) + " (must not be negative)");
    }
    if (jitter.isNegative() || jitter.compareTo(rtt) > 0) {
      throw new IllegalArgumentException("Invalid value for --rtt-jitter: " + DurationConverter.format(jitter)
          + " (must be between 0 and the RTT, " + DurationConverter.format(rtt) + ")");
    }
  }

  /** A link with one event loop, as compare and demo embed it. */
  public static LinkConfig of(HostPort listen, HostPort target, Duration rtt, Duration jitter) {
    return new LinkConfig(listen, Targets.of(target), rtt, jitter, 1);
  }

  /** One direction's delay for the next chunk: half the RTT, give or take half the jitter. */
  long oneWayNanos() {
    long half = rtt.toNanos() / 2;
    long j = jitter.toNanos();
    return j == 0 ? half : Math.max(0, half - j / 2 + ThreadLocalRandom.current().nextLong(j + 1));
  }

  /** Before this long after the connect, no client byte reaches the upstream: SYN, SYN-ACK, then half a trip. */
  long clientFloorNanos() {
    return rtt.toNanos() + rtt.toNanos() / 2;
  }

  /** Before this long after the connect, no server byte reaches the client: SYN-ACK, then the server's first bytes. */
  long serverFloorNanos() {
    return 2 * rtt.toNanos();
  }

  public String describe() {
    return "RTT " + DurationConverter.format(rtt) + (jitter.isZero() ? "" : " ±" + DurationConverter.format(jitter));
  }
}
