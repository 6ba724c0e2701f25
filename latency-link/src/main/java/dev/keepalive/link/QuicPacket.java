package dev.keepalive.link;

import io.vertx.core.buffer.Buffer;

/**
 * What kind of QUIC packet a datagram starts with (RFC 9000 section 17, RFC 9369 for version 2), read from its first
 * byte and version only: QUIC encrypts everything else. Enough for the link to see a handshake's shape, e.g. a
 * server's Retry (address validation), which costs the client one more round trip before its handshake starts.
 */
enum QuicPacket {
  INITIAL, ZERO_RTT, HANDSHAKE, RETRY, VERSION_NEGOTIATION,
  /** A short-header (1-RTT) packet: the handshake is done on the sender's side. */
  ONE_RTT,
  /** Not QUIC: empty, or the fixed bit is clear. */
  OTHER;

  private static final int VERSION_1 = 0x00000001;
  private static final int VERSION_2 = 0x6b3343cf;
  private static final QuicPacket[] V1_TYPES = {INITIAL, ZERO_RTT, HANDSHAKE, RETRY};
  private static final QuicPacket[] V2_TYPES = {RETRY, INITIAL, ZERO_RTT, HANDSHAKE};

  static QuicPacket of(Buffer datagram) {
    if (datagram.length() == 0) {
      return OTHER;
    }
    int first = datagram.getUnsignedByte(0);
    if ((first & 0x80) == 0) {
      return (first & 0x40) != 0 ? ONE_RTT : OTHER;
    }
    if (datagram.length() < 5) {
      return OTHER;
    }
    int version = datagram.getInt(1);
    if (version == 0) {
      return VERSION_NEGOTIATION;
    }
    int type = (first & 0x30) >> 4;
    return switch (version) {
      case VERSION_1 -> V1_TYPES[type];
      case VERSION_2 -> V2_TYPES[type];
      default -> OTHER;
    };
  }
}
