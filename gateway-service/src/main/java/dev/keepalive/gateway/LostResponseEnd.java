package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import java.time.Duration;

/**
 * Vert.x 5.1.6's HTTP/3 client loses a response's end about once in 4,000 calls: the headers arrive, the end never
 * does, though the server's {@code end()} succeeded (docs/http3.md). This says when an HTTP/3 call whose headers
 * arrived has waited too long for its end, counted in the request-timeout sweep's ticks (no timer per call).
 */
final class LostResponseEnd {

  /**
   * The upstream's bodies are small (one JSON object, sent with its headers), so the end follows the headers within
   * milliseconds; a second is far past that even on a loaded machine, and well inside a fan-out's deadline, so the
   * re-sent call still answers in time. Never more than --request-timeout, the longest a call may stay silent.
   */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);

  /** Fails the call whose end was lost: FailureKinds names it {@code http3_lost_end}. */
  static final class Failure extends RuntimeException {
    Failure(Duration waited, String uri) {
      super("HTTP/3 response headers of " + uri + " arrived but not its end within " + DurationConverter.format(waited)
          + " (a Vert.x 5.1.6 defect, docs/http3.md)", null, false, false);
    }
  }

  private final Duration bound;
  private final int ticks;

  /** @param periodMillis how often the sweep runs: the end is declared lost at the first sweep after the bound */
  LostResponseEnd(Duration requestTimeout, long periodMillis) {
    this.bound = requestTimeout.compareTo(MAX_WAIT) < 0 ? requestTimeout : MAX_WAIT;
    // As for --request-timeout: never before the bound, at most two periods after it.
    this.ticks = (int) Math.min(Integer.MAX_VALUE / 2, (bound.toMillis() + periodMillis - 1) / periodMillis + 1);
  }

  /** True when the sweep at tick {@code now} should give up on an end the headers at {@code headersAtTick} began. */
  boolean overdue(int now, int headersAtTick) {
    return now - headersAtTick > ticks - 1;
  }

  Failure failure(String uri) {
    return new Failure(bound, uri);
  }
}
