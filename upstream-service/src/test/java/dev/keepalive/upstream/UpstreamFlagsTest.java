package dev.keepalive.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
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
  }

  @Test
  void environmentVariablesAreNamedAfterTheFlags() {
    UpstreamConfig c = run(Map.of("UPSTREAM_IDLE_TIMEOUT", "1s", "UPSTREAM_DELAY", "exp:2ms",
        "UPSTREAM_MAX_REQUESTS_PER_CONNECTION", "10", "UPSTREAM_ADVERTISE_KEEP_ALIVE", "false")).config();
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.delay()).isEqualTo(new Delay.Exponential(Duration.ofMillis(2)));
    assertThat(c.maxRequestsPerConnection()).isEqualTo(10);
    assertThat(c.advertiseKeepAlive()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--error-rate 1.5|--error-rate|1.5",
      "--error-rate abc|--error-rate|abc",
      "--idle-timeout 5 s|--idle-timeout|5",
      "--idle-timeout 3days|--idle-timeout|3days",
      "--max-requests-per-connection -1|--max-requests-per-connection|-1",
      "--instances 0|--instances|0",
      "--response-size -3|--response-size|-3",
      "--delay sometimes|--delay|sometimes"})
  void badValuesStopStartUp(String args, String flag, String value) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(flag).contains(value).doesNotContain("\tat ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--http3|--http3 needs --tls",
      "--http3 --tls --tls-versions 1.2|--http3 needs TLS 1.3 in --tls-versions"})
  void http3NeedsTls13(String args, String message) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(message).doesNotContain("\tat ");
    assertThat(run(Map.of(), "--http3", "--tls").config().http3()).isTrue();
  }

  @Test
  void helpListsEveryFlag() {
    Run r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    for (String flag : new String[] {"--port", "--delay", "--response-size", "--error-rate", "--idle-timeout",
        "--advertise-keep-alive", "--max-requests-per-connection", "--max-concurrent-streams", "--instances",
        "--metrics-port", "--http3"}) {
      assertThat(r.out()).contains(flag);
    }
  }
}
