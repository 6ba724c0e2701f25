package dev.keepalive.common.tls;

/** Where a TLS server reports how long each handshake it completed took. */
@FunctionalInterface
public interface TlsHandshakeTimes {
  TlsHandshakeTimes NONE = (resumed, nanos) -> {};

  /**
   * @param resumed whether the handshake resumed a session
   * @param nanos from the accepted connection's TLS handler being set up to the end of the handshake
   */
  void handshakeDone(boolean resumed, long nanos);
}
