package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ServiceAddressTest {

  @Test
  void aWildcardListenerIsReachedThroughLoopback() {
    assertThat(new ServiceAddress("0.0.0.0", 8080, 9090).baseUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(new ServiceAddress("::", 8080, 9090).metricsUrl()).isEqualTo("http://127.0.0.1:9090/metrics");
    assertThat(new ServiceAddress("10.1.2.3", 8080, 8080).metricsUrl()).isEqualTo("http://10.1.2.3:8080/metrics");
  }

  @Test
  void listenPortKeepsAChosenPortAndOneInstancesZero() {
    assertThat(ListenPort.resolve("127.0.0.1", 8123, 4)).isEqualTo(8123);
    assertThat(ListenPort.resolve("127.0.0.1", 0, 1)).isZero();
  }

  @Test
  void listenPortTurnsZeroIntoOneFreePortForSeveralInstances() throws IOException {
    int port = ListenPort.resolve("127.0.0.1", 0, 2);
    assertThat(port).isBetween(1, 65535);
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(s.getLocalPort()).as("free to bind").isEqualTo(port);
    }
  }
}
