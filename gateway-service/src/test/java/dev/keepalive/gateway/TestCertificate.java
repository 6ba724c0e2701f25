package dev.keepalive.gateway;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost and 127.0.0.1, made by Debian's openssl for the test run. */
record TestCertificate(Path cert, Path key) {

  static TestCertificate create() {
    try {
      Path dir = Files.createTempDirectory("h3-cert");
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
          "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout", key.toString(), "-out", cert.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
      }
      return new TestCertificate(cert, key);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }

  PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(cert.toString());
  }
}
