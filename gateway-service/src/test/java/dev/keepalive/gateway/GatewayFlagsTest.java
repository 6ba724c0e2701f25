package dev.keepalive.gateway;

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

/** The command-line contract: long flags, GATEWAY_* variables, clear refusals of bad values. */
class GatewayFlagsTest {

  private record Run(int exit, GatewayConfig config, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    CommandLine cl = Cli.commandLine(new GatewayCommand(), "GATEWAY_", env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, cl.getExecutionResult(), out.toString(), err.toString());
  }

  @Test
  void defaultsShowKeepAliveWithoutTheStaleConnectionRace() {
    GatewayConfig c = run(Map.of()).config();
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.upstream().toString()).isEqualTo("http://localhost:8081");
    assertThat(c.fanOut()).isEqualTo(100);
    assertThat(c.keepAlive()).isTrue();
    assertThat(c.poolSize()).isEqualTo(10);
    // Below the upstream's default idle timeout of 5 s.
    assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.http2()).isFalse();
    assertThat(c.pipelining()).isFalse();
  }

  @Test
  void flagsAndEnvironmentVariablesSetTheSameThings() {
    GatewayConfig fromFlags = run(Map.of(), "--pool-size", "3", "--keep-alive=false", "--keep-alive-timeout", "2500ms",
        "--http2", "--upstream", "http://127.0.0.1:9000/base", "--port", "0").config();
    GatewayConfig fromEnv = run(Map.of("GATEWAY_POOL_SIZE", "3", "GATEWAY_KEEP_ALIVE", "false",
        "GATEWAY_KEEP_ALIVE_TIMEOUT", "2500ms", "GATEWAY_HTTP2", "true", "GATEWAY_UPSTREAM", "http://127.0.0.1:9000/base",
        "GATEWAY_PORT", "0")).config();
    assertThat(fromFlags).isEqualTo(fromEnv);
    assertThat(fromFlags.poolSize()).isEqualTo(3);
    assertThat(fromFlags.keepAlive()).isFalse();
    assertThat(fromFlags.keepAliveTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(fromFlags.http2()).isTrue();
    assertThat(fromFlags.upstream().basePath()).isEqualTo("/base");
    // The command line wins over the environment.
    assertThat(run(Map.of("GATEWAY_POOL_SIZE", "3"), "--pool-size", "4").config().poolSize()).isEqualTo(4);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--pool-size abc|--pool-size|abc",
      "--pool-size -1|--pool-size|-1",
      "--pool-size 0|--pool-size|0",
      "--keep-alive-timeout 5x|--keep-alive-timeout|5x",
      "--keep-alive-timeout 5|--keep-alive-timeout|5",
      "--connect-timeout 0|--connect-timeout|0",
      "--fan-out 2000|--fan-out|2000",
      "--port 70000|--port|70000",
      "--upstream ftp://x:1|--upstream|ftp://x:1",
      "--keep-alive=maybe|--keep-alive|maybe",
      "--keep-alive maybe|--keep-alive=false|maybe",
      "--max-wait-queue -5|--max-wait-queue|-5",
      "--frobnicate 1|--frobnicate|--frobnicate"})
  void aBadValueStopsStartUpNamingTheFlagAndValue(String args, String flag, String value) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.config()).isNull();
    assertThat(r.err()).contains(flag).contains(value).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aBadEnvironmentValueStopsStartUpToo() {
    Run r = run(Map.of("GATEWAY_POOL_SIZE", "abc"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--pool-size").contains("abc");
  }

  @Test
  void http2AndPipeliningExcludeEachOther() {
    Run r = run(Map.of(), "--http2", "--pipelining");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--http2 and --pipelining");
  }

  @ParameterizedTest
  @CsvSource({"--http2", "--pipelining"})
  void http3ExcludesTheTcpProtocols(String other) {
    Run r = run(Map.of(), "--http3", other);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--http3 excludes " + other).doesNotContain("\tat ");
  }

  @Test
  void http3NeedsAnHttpsUpstream() {
    Run r = run(Map.of(), "--http3", "--upstream", "http://localhost:8081");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--http3 needs an https:// --upstream").doesNotContain("\tat ");
    assertThat(run(Map.of(), "--http3", "--upstream", "https://localhost:8081").config().http3()).isTrue();
  }

  @Test
  void helpListsEveryFlagWithItsDefault() {
    Run r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    for (String flag : new String[] {"--port", "--upstream", "--fan-out", "--max-fan-out", "--keep-alive", "--pool-size",
        "--keep-alive-timeout", "--http2", "--pipelining", "--pipelining-limit", "--max-wait-queue", "--connect-timeout",
        "--request-timeout", "--instances", "--metrics-port", "--http3"}) {
      assertThat(r.out()).contains(flag);
    }
    assertThat(r.out()).contains("default: 4s").contains("GATEWAY_");
  }
}
