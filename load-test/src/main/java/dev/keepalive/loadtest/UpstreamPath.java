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
 * with a round trip. A new connection is predicted to cost {@link #handshakeNanos()}: its protocol's set-up round
 * trips times the emulated RTT, plus, over TCP, what a TCP connect on this machine's loopback measured.
 *
 * @param loopbackConnectNanos median of a few plain TCP connects to the upstream, measured before the run
 * @param linkConnections connections the link carried during the stack's life; null without a link or before the run
 * @param setup the round trips a new connection of the run's protocol waits for
 * @param loss the link's share of packets lost (--loss): UDP datagrams dropped, TCP chunks held back one RTT
 */
record UpstreamPath(Duration rtt, Duration jitter, long loopbackConnectNanos, Long linkConnections,
    ConnectionSetup setup, double loss) {

  UpstreamPath(Duration rtt, Duration jitter) {
    this(rtt, jitter, 0);
  }

  UpstreamPath(Duration rtt, Duration jitter, double loss) {
    this(rtt, jitter, 0, null, ConnectionSetup.TCP, loss);
  }

  /** The same path, with what the link carried. */
  UpstreamPath carried(long connections) {
    return new UpstreamPath(rtt, jitter, loopbackConnectNanos, connections, setup, loss);
  }

  /** The same path, for a run whose connections set up as this. */
  UpstreamPath speaking(ConnectionSetup s) {
    return new UpstreamPath(rtt, jitter, loopbackConnectNanos, linkConnections, s, loss);
  }

  static final int CONNECT_SAMPLES = 7;

  boolean linked() {
    return !rtt.isZero();
  }

  /** Predicted cost of one new connection: its set-up round trips × RTT, plus the loopback TCP connect if over TCP. */
  long handshakeNanos() {
    return handshakeNanos(false);
  }

  /** @param resumed a resumed TLS session's set-up (fewer round trips with TLS 1.2) rather than a full one */
  long handshakeNanos(boolean resumed) {
    return (resumed ? setup.resumedRoundTrips() : setup.roundTrips()) * rtt.toNanos()
        + (setup.overTcp() ? loopbackConnectNanos : 0);
  }

  /**
   * Whether {@link #handshakeNanos()} covers the set-up: with a link (its round trips dominate), or over TCP (the
   * loopback connect is measured). A QUIC handshake on bare loopback is not measured, so not predicted either.
   */
  boolean setupPredicted() {
    return linked() || setup.overTcp();
  }

  String describe() {
    return linked() ? "latency link, RTT " + DurationConverter.format(rtt)
        + (jitter.isZero() ? "" : " ±" + DurationConverter.format(jitter))
        + (loss == 0 ? "" : ", loss " + new java.math.BigDecimal(Double.toString(loss * 100)).stripTrailingZeros().toPlainString() + "%")
        : "loopback, no added round trip";
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
    return new UpstreamPath(rtt, jitter, median(samples), linkConnections, setup, loss);
  }

  /** The middle sample in order: one slow connect (a collection, a busy core) does not move it. */
  static long median(long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("between", linked() ? "latency link" : "loopback")
        .put("rtt", DurationConverter.format(rtt))
        .put("rttJitter", DurationConverter.format(jitter))
        .put("loss", loss)
        .put("loopbackConnectMs", RunResult.round(loopbackConnectNanos / 1e6))
        .put("setup", setup.toJson())
        .put("handshakeMs", setupPredicted() ? RunResult.round(handshakeNanos() / 1e6) : null)
        .put("linkConnections", linkConnections);
  }
}
