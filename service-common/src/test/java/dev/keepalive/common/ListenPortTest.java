package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The port a TCP-and-UDP server (HTTP/3 beside HTTP/1.1 and 2) listens on: one number, free for both. */
class ListenPortTest {

  @Test
  void portZeroBecomesAPortFreeForBothTcpAndUdp() throws Exception {
    int port = ListenPort.resolveTcpAndUdp("127.0.0.1", 0);
    assertThat(port).isBetween(1, 65535);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket tcp = new ServerSocket(port, 1, loopback);
        DatagramSocket udp = new DatagramSocket(port, loopback)) {
      assertThat(tcp.getLocalPort()).isEqualTo(port);
      assertThat(udp.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aGivenPortIsKeptAsIs() throws Exception {
    // Even one in use: the server's own bind reports that, with the flag's value.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(ListenPort.resolveTcpAndUdp("127.0.0.1", taken.getLocalPort())).isEqualTo(taken.getLocalPort());
    }
    assertThat(ListenPort.resolveTcpAndUdp("127.0.0.1", 8443)).isEqualTo(8443);
  }

  @Test
  void anAddressThisMachineDoesNotHaveIsAClearError() {
    // 192.0.2.1 is TEST-NET-1: documentation only, never a local address; nothing can bind there.
    assertThatThrownBy(() -> ListenPort.resolveTcpAndUdp("192.0.2.1", 0))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("no port free for both TCP and UDP on 192.0.2.1")
        .cause().isInstanceOf(BindException.class);
  }
}
