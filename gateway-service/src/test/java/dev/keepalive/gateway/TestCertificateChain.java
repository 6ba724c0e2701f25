package dev.keepalive.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA hierarchy as a real deployment has one, made by Debian's openssl for the test run: a root CA, an intermediate
 * CA it signed, and server certificates the intermediate signed.
 *
 * @param root the root CA's certificate (PEM): what a client trusts
 */
record TestCertificateChain(Path dir, Path root) {

  /** A server certificate: its chain file (the certificate, then the intermediate's) and its private key. */
  record Server(Path chain, Path key) {}

  static TestCertificateChain create(Path dir) {
    try {
      openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
          "-subj", "/CN=lab root CA", "-keyout", "root.key", "-out", "root.pem");
      Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\n"
          + "keyUsage=critical,keyCertSign,cRLSign\n");
      openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-subj", "/CN=lab intermediate CA", "-keyout", "intermediate.key", "-out", "intermediate.csr");
      openssl(dir, "x509", "-req", "-in", "intermediate.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2",
          "-days", "2", "-extfile", "ca.ext", "-out", "intermediate.pem");
      return new TestCertificateChain(dir, dir.resolve("root.pem"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  /** A server certificate the intermediate CA issues for these subject alternative names (e.g. DNS:localhost). */
  Server issue(String name, String subjectAltNames) {
    try {
      openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + name,
          "-keyout", name + ".key", "-out", name + ".csr");
      Files.writeString(dir.resolve(name + ".ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
          + "subjectAltName=" + subjectAltNames + "\n");
      openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
          "-set_serial", String.valueOf(Math.abs(name.hashCode()) + 3), "-days", "2", "-extfile", name + ".ext",
          "-out", name + ".pem");
      Path chain = Files.writeString(dir.resolve(name + "-chain.pem"),
          Files.readString(dir.resolve(name + ".pem")) + Files.readString(dir.resolve("intermediate.pem")));
      return new Server(chain, dir.resolve(name + ".key"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
