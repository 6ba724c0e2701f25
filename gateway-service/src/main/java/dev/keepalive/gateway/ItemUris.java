package dev.keepalive.gateway;

/**
 * The request URI of each upstream call, {@code <basePath>/item/<id>}: built once for the ids a fan-out uses
 * (1..--max-fan-out) rather than concatenated on every call of the hot path.
 */
final class ItemUris {
  /** The most URIs kept, whatever --max-fan-out says (its own limit is the same). */
  static final int MAX_CACHED = 100_000;

  private final String prefix;
  private final String[] cached;

  ItemUris(String basePath, int maxFanOut) {
    this.prefix = basePath + "/item/";
    this.cached = new String[Math.min(Math.max(maxFanOut, 0), MAX_CACHED) + 1];
    for (int id = 1; id < cached.length; id++) {
      cached[id] = prefix + id;
    }
  }

  /** The URI of item {@code id}; the same String every time for 1..--max-fan-out, a new one outside that range. */
  String of(int id) {
    return id > 0 && id < cached.length ? cached[id] : prefix + id;
  }
}
