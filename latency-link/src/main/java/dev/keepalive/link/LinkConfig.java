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
 * @param loss the share of packets lost, 0 to 1: a UDP datagram is dropped; a TCP chunk (what one read returned, the
 *     link's segment) is held back one more RTT, and every byte behind it with it, as a retransmission would
 */
public record LinkConfig(HostPort listen, Targets targets, Duration rtt, Duration jitter, int eventLoops, double loss) {

  public LinkConfig {
    checkRoundTrip(rtt, jitter);
    if (eventLoops < 1 || eventLoops > 1024) {
      throw new IllegalArgumentException("Invalid value for --event-loops: " + eventLoops + " (must be 1 to 1024)");
    }
    if (!(loss >= 0 && loss <= 1)) {
      throw new IllegalArgumentException("Invalid value for --loss: " + loss + " (must be 0% to 100%)");
    }
  }

  /** No loss. */
  public LinkConfig(HostPort listen, Targets targets, Duration rtt, Duration jitter, int eventLoops) {
    this(listen, targets, rtt, jitter, eventLoops, 0);
  }

  /** The same link, losing this share of packets. */
  public LinkConfig withLoss(double share) {
    return new LinkConfig(listen, targets, rtt, jitter, eventLoops, share);
  }

  /** Whether the next packet is lost: true with probability {@link #loss()}. */
  boolean loses() {
    return loss > 0 && ThreadLocalRandom.current().nextDouble() < loss;
  }

  /** "1%", "0.5%": a share of packets, 0% to 100%. */
  public static final class LossConverter implements picocli.CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      String v = value.trim();
      try {
        if (v.endsWith("%")) {
          double percent = Double.parseDouble(v.substring(0, v.length() - 1));
          if (percent >= 0 && percent <= 100) {
            return percent / 100;
          }
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new picocli.CommandLine.TypeConversionException("'" + value + "': a percentage of packets lost, 0% to 100%, e.g. 1%");
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
    return "RTT " + DurationConverter.format(rtt) + (jitter.isZero() ? "" : " ±" + DurationConverter.format(jitter))
        + (loss == 0 ? "" : String.format(", loss %s%%", new java.math.BigDecimal(Double.toString(loss * 100)).stripTrailingZeros().toPlainString()));
  }
}
