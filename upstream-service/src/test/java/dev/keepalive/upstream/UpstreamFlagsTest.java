package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class UpstreamFlagsTest {

  private record Run(int exit, UpstreamConfig config, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    CommandLine cl = Cli.commandLine(new UpstreamCommand(), "UPSTREAM_", env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, cl.getExecutionResult(), out.toString(), err.toString());
  }

  @Test
  void defaults() {
    UpstreamConfig c = run(Map.of()).config();
    assertThat(c.port()).isEqualTo(8081);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.delay()).isEqualTo(new Delay.Fixed(Duration.ofMillis(1)));
    assertThat(c.maxRequestsPerConnection()).isZero();
    assertThat(c.advertiseKeepAlive()).isTrue();
    assertThat(c.headersTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void environmentVariablesAreNamedAfterTheFlags() {
    UpstreamConfig c = run(Map.of("UPSTREAM_IDLE_TIMEOUT", "1s", "UPSTREAM_DELAY", "exp:2ms",
        "UPSTREAM_MAX_REQUESTS_PER_CONNECTION", "10", "UPSTREAM_ADVERTISE_KEEP_ALIVE", "false",
        "UPSTREAM_HEADERS_TIMEOUT", "0")).config();
    assertThat(c.headersTimeout()).isZero();
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.delay()).isEqualTo(new Delay.Exponential(Duration.ofMillis(2)));
    assertThat(c.maxRequestsPerConnection()).isEqualTo(10);
    assertThat(c.advertiseKeepAlive()).isFalse();
  }

  /** The whole first line of the refusal: it names the flag and the value, and says what would be accepted. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "--error-rate 1.5|error: Invalid value for --error-rate: 1.5 (must be between 0 and 1)",
      "--error-rate abc|error: Invalid value for option '--error-rate': 'abc' is not a double",
      "--idle-timeout 5 s|error: Invalid value for option '--idle-timeout': '5' is not a duration (write a whole number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)",
      "--idle-timeout 3days|error: Invalid value for option '--idle-timeout': '3days' is not a duration (write a whole number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)",
      "--max-requests-per-connection -1|error: Invalid value for --max-requests-per-connection: -1 (must be at least 0)",
      "--instances 0|error: Invalid value for --instances: 0 (must be between 1 and 256)",
      "--response-size -3|error: Invalid value for --response-size: -3 (must be between 0 and 10485760)",
      "--delay sometimes|error: Invalid value for option '--delay': 'sometimes' is not a delay: write a duration (2ms), uniform:MIN-MAX (uniform:1ms-5ms) or exp:MEAN (exp:2ms)",
      "--max-concurrent-streams 0|error: Invalid value for --max-concurrent-streams: 0 (must be between 1 and 100000)",
      "--transport carrier-pigeon|error: Invalid value for option '--transport': expected one of [AUTO, NIO, EPOLL, IO_URING, KQUEUE] (case-insensitive) but was 'carrier-pigeon'"})
  void badValuesStopStartUp(String args, String message) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.config()).isNull();
    assertThat(r.err().lines().findFirst()).contains(message);
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--http3|error: --http3 needs --tls: QUIC always encrypts, with TLS 1.3",
      "--http3 --tls --tls-versions 1.2|error: --http3 needs TLS 1.3 in --tls-versions (got 1.2)"})
  void http3NeedsTls13(String args, String message) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst()).contains(message);
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(run(Map.of(), "--http3", "--tls").config().http3()).isTrue();
  }

  @Test
  void helpListsEveryFlag() {
    Run r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    for (String flag : new String[] {"--port", "--delay", "--response-size", "--error-rate", "--idle-timeout",
        "--advertise-keep-alive", "--max-requests-per-connection", "--max-concurrent-streams", "--instances",
        "--metrics-port", "--transport", "--http3", "--headers-timeout"}) {
      // The option's own line, so a flag is not found inside a longer one.
      assertThat(r.out()).containsPattern("(?m)^\\s+" + Pattern.quote(flag) + "[=\\[ ]");
    }
  }
}
