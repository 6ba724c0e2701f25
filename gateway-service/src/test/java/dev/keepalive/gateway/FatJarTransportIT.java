package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runnable jars keep the native transports: started with {@code java -jar ... --transport epoll} (or io_uring)
 * they run on it rather than falling back to NIO, which they would if shading dropped the .so files.
 * Runs after {@code package} (failsafe), on Linux.
 */
class FatJarTransportIT {

  @ParameterizedTest(name = "{0} --transport {1}")
  @CsvSource({"gateway-service/target/gateway-service.jar, epoll", "gateway-service/target/gateway-service.jar, io_uring",
      "upstream-service/target/upstream-service.jar, epoll", "upstream-service/target/upstream-service.jar, io_uring"})
  void theRunnableJarStartsOnTheNativeTransport(String jar, String transport) throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "native jars are for Linux here");
    Path file = Path.of("..").resolve(jar).normalize();
    assertThat(file).as("built by package before this test").exists();
    Path log = Files.createTempFile("fat-jar", ".log");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        file.toString(), "--host", "127.0.0.1", "--port", "0", "--transport", transport);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Stack.await("the start line", Duration.ofSeconds(60),
          () -> read(log).contains(" listening on ") || !process.isAlive());
      String output = read(log);
      assertThat(output).contains(" listening on ").contains(" transport " + transport + " ")
          .doesNotContain("is not available here");
    } finally {
      process.destroyForcibly().waitFor();
      Files.deleteIfExists(log);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
