package dev.keepalive.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real DNS server on a loopback port (Debian's dnsmasq) answering one name with several A records. */
final class LocalDns implements AutoCloseable {
  final int port;
  private final Process process;

  private LocalDns(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static LocalDns serve(String name, List<String> addresses) {
    int port = freeUdpPort();
    List<String> command = new ArrayList<>(List.of(dnsmasq(), "--no-daemon", "--port=" + port,
        "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=",
        "--user=" + System.getProperty("user.name"), "--local-ttl=600"));
    for (String a : addresses) {
      command.add("--host-record=" + name + "," + a);
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // dnsmasq says "started" once it listens; anything else before exiting is why it could not.
      CompletableFuture<String> started = new CompletableFuture<>();
      StringBuilder log = new StringBuilder();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            log.append(line).append('\n');
            if (line.contains("started")) started.complete(line);
          }
        } catch (IOException ignored) {
          // the process ended
        }
        started.completeExceptionally(new AssertionError("dnsmasq exited: " + log));
      });
      reader.setDaemon(true);
      reader.start();
      started.get(20, TimeUnit.SECONDS);
      return new LocalDns(port, p);
    } catch (IOException e) {
      throw new AssertionError("dnsmasq is missing: run the tests with scripts/test, which installs Debian's dnsmasq-base", e);
    } catch (Exception e) {
      throw new AssertionError("dnsmasq did not start", e);
    }
  }

  private static String dnsmasq() {
    return new java.io.File("/usr/sbin/dnsmasq").canExecute() ? "/usr/sbin/dnsmasq" : "dnsmasq";
  }

  private static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
