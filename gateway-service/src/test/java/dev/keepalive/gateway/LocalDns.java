package dev.keepalive.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real DNS server on a loopback port (Debian's dnsmasq) answering one name with several A records. */
final class LocalDns implements AutoCloseable {
  final int port;
  private final Process process;
  private final String name;
  private final Path hosts;

  private LocalDns(int port, Process process, String name, Path hosts) {
    this.port = port;
    this.process = process;
    this.name = name;
    this.hosts = hosts;
  }

  /** Answers {@code name} with the addresses, from a hosts file it re-reads on SIGHUP (see {@link #add}). */
  static LocalDns serve(String name, List<String> addresses) {
    int port = freeUdpPort();
    Path hosts;
    try {
      hosts = Files.createTempFile("replicas", ".hosts");
      for (String a : addresses) {
        Files.writeString(hosts, a + " " + name + "\n", StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // A TTL of 1 s: a resolver that asks again sees a change within a second.
    List<String> command = new ArrayList<>(List.of(dnsmasq(), "--no-daemon", "--port=" + port,
        "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=",
        "--user=" + System.getProperty("user.name"), "--local-ttl=1", "--addn-hosts=" + hosts));
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
      return new LocalDns(port, p, name, hosts);
    } catch (IOException e) {
      throw new AssertionError("dnsmasq is missing: run the tests with scripts/test, which installs Debian's dnsmasq-base", e);
    } catch (Exception e) {
      throw new AssertionError("dnsmasq did not start", e);
    }
  }

  /** One more A record for the name: a replica added (dnsmasq re-reads its hosts file on SIGHUP). */
  void add(String address) {
    try {
      Files.writeString(hosts, address + " " + name + "\n", StandardOpenOption.APPEND);
      Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new AssertionError("kill -HUP dnsmasq failed");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
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
    try {
      Files.deleteIfExists(hosts);
    } catch (IOException ignored) {
      // a temporary file
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
