package dev.keepalive.loadtest;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * What lies between the embedded gateway and the upstream: loopback alone (rtt 0), or the latency link
 * with a round trip. A new connection costs {@link #handshakeNanos()}: the emulated RTT (SYN, SYN-ACK)
 * plus what a TCP connect on this machine's loopback measured.
 *
 * @param loopbackConnectNanos median of a few plain TCP connects to the upstream, measured before the run
 * @param linkConnections connections the link carried during the stack's life; null without a link or before the run
 */
record UpstreamPath(Duration rtt, Duration jitter, long loopbackConnectNanos, Long linkConnections) {

  UpstreamPath(Duration rtt, Duration jitter) {
    this(rtt, jitter, 0, null);
  }

  /** The same path, with what the link carried. */
  UpstreamPath carried(long connections) {
    return new UpstreamPath(rtt, jitter, loopbackConnectNanos, connections);
  }

  static final int CONNECT_SAMPLES = 7;

  boolean linked() {
    return !rtt.isZero();
  }

  long handshakeNanos() {
    return rtt.toNanos() + loopbackConnectNanos;
  }

  String describe() {
    return linked() ? "latency link, RTT " + DurationConverter.format(rtt)
        + (jitter.isZero() ? "" : " ±" + DurationConverter.format(jitter)) : "loopback, no added round trip";
  }

  /** The same path with the connect cost measured on it. */
  UpstreamPath measuredTo(String host, int port) {
    long[] samples = new long[CONNECT_SAMPLES];
    for (int i = 0; i < samples.length; i++) {
      try (Socket s = new Socket()) {
        long start = System.nanoTime();
        s.connect(new InetSocketAddress(host, port), 5_000);
        samples[i] = System.nanoTime() - start;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot connect to the upstream at " + host + ":" + port, e);
      }
    }
    Arrays.sort(samples);
    return new UpstreamPath(rtt, jitter, samples[samples.length / 2], linkConnections);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("between", linked() ? "latency link" : "loopback")
        .put("rtt", DurationConverter.format(rtt))
        .put("rttJitter", DurationConverter.format(jitter))
        .put("loopbackConnectMs", RunResult.round(loopbackConnectNanos / 1e6))
        .put("handshakeMs", RunResult.round(handshakeNanos() / 1e6))
        .put("linkConnections", linkConnections);
  }
}
