package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad flags: a clear message naming the problem, a usage hint, a non-zero exit and never a stack trace. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandLineTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "run --rate abc                          | '--rate'",
      "run --duration 5x                       | '5x' is not a duration",
      "run --rate 10 --concurrency 2           | exclude each other",
      "run --rate -5                           | Invalid value for --rate",
      "run --concurrency 0                     | Invalid value for --concurrency: 0",
      "run --target ftp://x                    | is not an http URL",
      "run --max-error-rate 2                  | Invalid value for --max-error-rate",
      "run --bogus                             | Unknown option: '--bogus'",
      "compare --configs off,pool0             | the connection count must be 1 to 10000",
      "compare --configs off,turbo             | 'turbo' is not a configuration",
      "demo --delay soon                       | 'soon' is not a delay",
      "link --to localhost:8081 --rtt -5ms     | Invalid value for option '--rtt': '-5ms' is not a duration",
      "link --to localhost:8081 --rtt abc      | Invalid value for option '--rtt': 'abc' is not a duration",
      "link --to localhost --rtt 20ms          | Invalid value for option '--to' (HOST:PORT): 'localhost' is not host:port",
      "link --rtt 20ms                         | Missing required option: '--to",
      "link --to localhost:1 --rtt 5ms --rtt-jitter 6ms | Invalid value for --rtt-jitter: 6ms",
      "link --to localhost:1 --rtt 5ms --loss 150% | Invalid value for option '--loss': '150%': a percentage",
      "link --to localhost:1 --rtt 5ms --loss 0.01 | Invalid value for option '--loss': '0.01': a percentage",
      "compare --rtt -5ms                      | Invalid value for option '--rtt': '-5ms' is not a duration",
      "demo --rtt abc                          | Invalid value for option '--rtt': 'abc' is not a duration",
      "demo --rtt 5ms --rtt-jitter 6ms         | Invalid value for --rtt-jitter: 6ms",
      "overload --levels 0                     | Invalid value for --levels: 0.0",
      "overload --slow-spell-only --slow-factor 1 | --slow-spell-only needs a slow spell",
      "compare --loss 1%                       | Invalid value for --loss: it needs --rtt",
      "demo --rtt 5ms --loss 101%              | Invalid value for option '--loss': '101%': a percentage",
      "frobnicate                              | Unmatched argument",
      "''                                      | Missing subcommand"})
  void badFlagsPrintAMessageAndAHintAndExitNonZero(String line, String message) {
    Cli cli = Cli.run(line.isEmpty() ? new String[0] : line.trim().split("\\s+"));

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).contains("error: ").contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    // Every bad flag, whether picocli or the configuration refused it, points to --help.
    assertThat(cli.err()).contains("Run with --help");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void parameterErrorsPointToHelp() {
    Cli cli = Cli.run("run", "--rate", "abc");
    assertThat(cli.err()).contains("Run with --help");
  }

  @Test
  void aRunInWhichNoRequestSucceededExitsNonZeroAndPrintsNoPercentiles() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Cli cli = Cli.run("run", "--target", "http://127.0.0.1:" + closed, "--duration", "1s", "--warmup", "0",
        "--concurrency", "2");
    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.out()).contains("Latency      no responses").doesNotContain("p50 0.00");
    assertThat(cli.err()).contains("error: no request succeeded").contains("connect_refused");
  }

  @Test
  void environmentVariablesSetFlagsAndFlagsWin() {
    Cli fromEnv = Cli.run(Map.of("LOADTEST_DURATION", "soon"), "run");
    assertThat(fromEnv.exit()).isEqualTo(2);
    assertThat(fromEnv.err()).contains("'soon' is not a duration");

    Cli help = Cli.run("run", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--target", "--rate", "--concurrency", "--max-p99", "--max-error-rate",
        "--max-handshakes-per-request", "--json", "--html", "LOADTEST_");
  }

  @Test
  void overloadHelpSaysWhatItRunsHowLongAndHowToRunPartOfIt() {
    Cli help = Cli.run("overload", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--upstream-delay", "--pool-size", "--calls", "--fanout-timeout", "--admission",
        "--levels", "--window", "--capacity-window", "How long capacity is measured", "--slow-factor", "--slow-spell",
        "--slow-spell-only", "Takes about 3 minutes", "idle machine", "at most 1 % 504s");
  }

  @Test
  void compareHelpNamesTheTlsConfigurationsAndTheirFlags() {
    Cli help = Cli.run("compare", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("A -tls suffix", "-tls-noresume", "--tls-engine", "--tls-versions");
  }

  @Test
  void theLossFlagsHelpShowsItsPercentSigns() {
    // a bare % in a picocli description is a format error: the help then showed its raw text, "(default: 0%%)"
    for (String[] command : new String[][] {{"compare", "--help"}, {"link", "--help"}}) {
      String help = Cli.run(command).out().replaceAll("\\s+", " ");
      assertThat(help).as(String.join(" ", command)).contains("e.g. 1%: a UDP datagram").contains("(default: 0%).");
    }
  }
}
