package dev.keepalive.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** A datagram's first QUIC packet, from its first byte and version (RFC 9000 17.2, RFC 9369 3.2). */
class QuicPacketTest {

  static Buffer longHeader(int firstByte, int version) {
    return Buffer.buffer().appendUnsignedByte((short) firstByte).appendInt(version).appendBytes(new byte[20]);
  }

  @Test
  void version1LongHeaderTypesAreInitialZeroRttHandshakeRetry() {
    assertThat(QuicPacket.of(longHeader(0xC3, 1))).isEqualTo(QuicPacket.INITIAL);
    assertThat(QuicPacket.of(longHeader(0xD1, 1))).isEqualTo(QuicPacket.ZERO_RTT);
    assertThat(QuicPacket.of(longHeader(0xE0, 1))).isEqualTo(QuicPacket.HANDSHAKE);
    assertThat(QuicPacket.of(longHeader(0xF5, 1))).isEqualTo(QuicPacket.RETRY);
  }

  @Test
  void version2NumbersTheTypesDifferently() {
    assertThat(QuicPacket.of(longHeader(0xC0, 0x6b3343cf))).isEqualTo(QuicPacket.RETRY);
    assertThat(QuicPacket.of(longHeader(0xD0, 0x6b3343cf))).isEqualTo(QuicPacket.INITIAL);
    assertThat(QuicPacket.of(longHeader(0xE0, 0x6b3343cf))).isEqualTo(QuicPacket.ZERO_RTT);
    assertThat(QuicPacket.of(longHeader(0xF0, 0x6b3343cf))).isEqualTo(QuicPacket.HANDSHAKE);
  }

  @Test
  void shortHeaderVersionNegotiationAndAnythingElse() {
    assertThat(QuicPacket.of(Buffer.buffer(new byte[] {0x41, 1, 2, 3}))).isEqualTo(QuicPacket.ONE_RTT);
    assertThat(QuicPacket.of(longHeader(0x80, 0))).isEqualTo(QuicPacket.VERSION_NEGOTIATION);
    assertThat(QuicPacket.of(longHeader(0xF0, 0x0a0a0a0a))).as("unknown version").isEqualTo(QuicPacket.OTHER);
    assertThat(QuicPacket.of(Buffer.buffer(new byte[] {0x01, 2, 3}))).as("fixed bit clear").isEqualTo(QuicPacket.OTHER);
    assertThat(QuicPacket.of(Buffer.buffer(new byte[] {(byte) 0xC0, 0, 0}))).as("truncated").isEqualTo(QuicPacket.OTHER);
    assertThat(QuicPacket.of(Buffer.buffer())).isEqualTo(QuicPacket.OTHER);
  }
}
