package dev.keepalive.gateway;

import static dev.keepalive.gateway.GatewayCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.TransportChoice;
import dev.keepalive.gateway.GatewayCli.Run;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command-line contract: long flags, GATEWAY_* variables, clear refusals of bad values. */
class GatewayFlagsTest {

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
    // Overload and abuse: adaptive admission under the fixed ceiling; Node's keepAliveTimeout of 5 s.
    assertThat(c.admission()).isEqualTo(AdmissionSettings.defaults());
    assertThat(c.maxConcurrentFanouts()).isEqualTo(64);
    assertThat(c.serverLimits()).isEqualTo(dev.keepalive.common.server.ServerLimits.gatewayDefaults());
    assertThat(run(Map.of("GATEWAY_ADMISSION", "FIXED")).config().admission().adaptive()).isFalse();
    // A re-created upstream container is found within seconds, whatever TTL Docker's DNS gives (600 s).
    assertThat(c.discovery()).isEqualTo(new UpstreamDiscovery(Duration.ofSeconds(5), java.util.List.of(), null));
    assertThat(run(Map.of("GATEWAY_DNS_CACHE_TTL", "30s", "GATEWAY_DNS_SERVERS", "127.0.0.1:53,10.0.0.2:53")).config().discovery())
        .isEqualTo(new UpstreamDiscovery(Duration.ofSeconds(30), java.util.List.of("127.0.0.1:53", "10.0.0.2:53"), null));
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

  /** The whole first line of the refusal: it names the flag and the value, and says what would be accepted. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "--pool-size abc|error: Invalid value for option '--pool-size': 'abc' is not an int",
      "--pool-size -1|error: Invalid value for --pool-size: -1 (must be between 1 and 10000)",
      "--pool-size 0|error: Invalid value for --pool-size: 0 (must be between 1 and 10000)",
      "--keep-alive-timeout 5x|error: Invalid value for option '--keep-alive-timeout': '5x' is not a duration (write a whole number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)",
      "--keep-alive-timeout 5|error: Invalid value for option '--keep-alive-timeout': '5' is not a duration (write a whole number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)",
      "--connect-timeout 0|error: Invalid value for --connect-timeout: 0 (must be above 0)",
      "--fan-out 2000|error: Invalid value for --fan-out: 2000 (must be between 1 and 1000)",
      "--port 70000|error: Invalid value for --port: 70000 (must be between 0 and 65535)",
      "--upstream ftp://x:1|error: Invalid value for option '--upstream': 'ftp://x:1' is not an upstream base URL: write http://HOST:PORT or https://HOST:PORT, e.g. http://localhost:8081 (http or https only, no query or credentials)",
      "--keep-alive=maybe|error: Invalid value for option '--keep-alive': 'maybe' is not a boolean",
      "--keep-alive maybe|error: Unmatched argument at index 1: 'maybe' (a yes/no flag takes its value attached, as in --keep-alive=false)",
      "--max-wait-queue -5|error: Invalid value for --max-wait-queue: -5 (-1 for unbounded, or 0 and above)",
      "--dns-cache-ttl 1500ms|error: Invalid value for --dns-cache-ttl: 1500ms (whole seconds: DNS TTLs are seconds)",
      "--frobnicate 1|error: Unknown options: '--frobnicate', '1' (a yes/no flag takes its value attached, as in --keep-alive=false)"})
  void aBadValueStopsStartUpNamingTheFlagAndValue(String args, String message) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.config()).isNull();
    assertThat(r.err().lines().findFirst()).contains(message);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }
  /** Admission and server-limit flags (issue 14): the first line names the flag and the value. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--admission sometimes|--admission|sometimes",
      "--admission-algorithm bbr|--admission-algorithm|bbr",
      "--admission-initial-limit 0|--admission-initial-limit|0",
      "--headers-timeout 5x|--headers-timeout|5x",
      "--idle-timeout soon|--idle-timeout|soon",
      "--max-client-connections -1|--max-client-connections|-1"})
  void aBadAdmissionOrServerLimitValueStopsStartUp(String args, String flag, String value) {
    Run r = run(Map.of(), args.split(" "));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.config()).isNull();
    assertThat(r.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains(flag).contains(value));
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }


  @Test
  void aBadEnvironmentValueStopsStartUpToo() {
    Run r = run(Map.of("GATEWAY_POOL_SIZE", "abc"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst())
        .contains("error: Invalid value for option '--pool-size': 'abc' is not an int");
  }

  @Test
  void transportIsAutoUnlessAFlagOrGatewayTransportNamesOne() {
    assertThat(run(Map.of()).config().transport()).isEqualTo(TransportChoice.AUTO);
    assertThat(run(Map.of(), "--transport", "io_uring").config().transport()).isEqualTo(TransportChoice.IO_URING);
    assertThat(run(Map.of("GATEWAY_TRANSPORT", "epoll")).config().transport()).isEqualTo(TransportChoice.EPOLL);
    Run bad = run(Map.of(), "--transport", "carrier-pigeon");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--transport").contains("carrier-pigeon").doesNotContain("\tat ");
  }

  @Test
  void http2AndPipeliningExcludeEachOther() {
    Run r = run(Map.of(), "--http2", "--pipelining");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst()).contains(
        "error: --http2 and --pipelining exclude each other: HTTP/2 multiplexes, pipelining is HTTP/1.1 only");
  }

  @ParameterizedTest
  @CsvSource({"--http2", "--pipelining"})
  void http3ExcludesTheTcpProtocols(String other) {
    Run r = run(Map.of(), "--http3", other);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst()).contains("error: --http3 excludes " + other
        + ": HTTP/3 multiplexes over QUIC, the others are TCP protocols");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void http3NeedsAnHttpsUpstream() {
    Run r = run(Map.of(), "--http3", "--upstream", "http://localhost:8081");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst()).contains(
        "error: --http3 needs an https:// --upstream: QUIC always encrypts (got http://localhost:8081)");
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(run(Map.of(), "--http3", "--upstream", "https://localhost:8081").config().http3()).isTrue();
  }

  @Test
  void http3RefusesAMaximumConnectionAge() {
    Run r = run(Map.of(), "--http3", "--upstream", "https://localhost:8081", "--max-connection-age", "30s");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst()).contains("error: --max-connection-age does not work with --http3 in Vert.x "
        + "5.1.6: draining an HTTP/3 connection loses every call in flight on it but the first (docs/http3.md)");
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(run(Map.of(), "--http3", "--upstream", "https://localhost:8081", "--max-connection-age", "0s").config()
        .http3()).isTrue();
    assertThat(run(Map.of(), "--upstream", "https://localhost:8081", "--max-connection-age", "30s").config().replicas()
        .maxConnectionAge()).hasSeconds(30);
  }

  @Test
  void helpListsEveryFlagWithItsDefault() {
    Run r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    for (String flag : new String[] {"--port", "--upstream", "--fan-out", "--max-fan-out", "--keep-alive", "--pool-size",
        "--keep-alive-timeout", "--http2", "--pipelining", "--pipelining-limit", "--max-wait-queue", "--connect-timeout",
        "--request-timeout", "--instances", "--metrics-port", "--transport", "--http3"}) {
      // The option's own line, so --keep-alive is not found in --keep-alive-timeout.
      assertThat(r.out()).containsPattern("(?m)^\\s+" + Pattern.quote(flag) + "[=\\[ ]");
    }
    assertThat(r.out()).containsPattern("(?m)^\\s+--keep-alive-timeout=<keepAliveTimeout>\\s+Close a connection idle")
        .contains("(default: 4s)").contains("GATEWAY_POOL_SIZE=10");
  }
}
