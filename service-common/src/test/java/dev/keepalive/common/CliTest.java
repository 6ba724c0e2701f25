package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.junit.jupiter.api.Test;

/** Flags, the environment variables named after them, and how a refusal looks: on a small command of the test's own. */
class CliTest {

  @Command(name = "thing", mixinStandardHelpOptions = true)
  static final class Thing implements Callable<String> {
    @Option(names = "--pool-size", defaultValue = "10") int poolSize;
    @Option(names = "--idle-timeout", defaultValue = "5s") Duration idleTimeout;
    @Option(names = "--keep-alive", defaultValue = "true", arity = "0..1", fallbackValue = "true") boolean keepAlive;
    @Option(names = "--fail") String fail;

    @Override
    public String call() {
      if ("bad".equals(fail)) throw new IllegalArgumentException("Invalid value for --fail: bad");
      if ("bug".equals(fail)) throw new IllegalStateException("a bug");
      return poolSize + " " + idleTimeout + " " + keepAlive;
    }
  }

  record Run(int exit, String result, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    CommandLine cl = Cli.commandLine(new Thing(), "THING_", env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, cl.getExecutionResult(), out.toString(), err.toString());
  }

  @Test
  void envNameIsThePrefixAndTheFlagInUpperSnakeCase() {
    assertThat(Cli.envName("GATEWAY_", "--pool-size")).isEqualTo("GATEWAY_POOL_SIZE");
    assertThat(Cli.envName("UPSTREAM_", "--max-requests-per-connection")).isEqualTo("UPSTREAM_MAX_REQUESTS_PER_CONNECTION");
  }

  @Test
  void defaultsThenEnvironmentThenFlags() {
    assertThat(run(Map.of()).result()).isEqualTo("10 PT5S true");
    assertThat(run(Map.of("THING_POOL_SIZE", " 3 ", "THING_IDLE_TIMEOUT", "250ms", "THING_KEEP_ALIVE", "false")).result())
        .isEqualTo("3 PT0.25S false");
    assertThat(run(Map.of("THING_POOL_SIZE", "3"), "--pool-size", "4").result()).isEqualTo("4 PT5S true");
    // A blank variable is no setting; other prefixes are not read.
    assertThat(run(Map.of("THING_POOL_SIZE", "  ", "OTHER_POOL_SIZE", "7")).result()).isEqualTo("10 PT5S true");
  }

  @Test
  void aBadFlagValueExitsTwoNamingTheFlagWithAHint() {
    Run r = run(Map.of(), "--idle-timeout", "5");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: Invalid value for option '--idle-timeout': '5' is not a duration (write a whole "
        + "number with a unit: us, ms, s, m or h, e.g. 250ms or 5s)\nRun with --help to see every flag and its default.\n");
  }

  @Test
  void anUnmatchedArgumentGetsTheYesNoHint() {
    Run r = run(Map.of(), "--keep-alive", "maybe");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Unmatched argument at index 1: 'maybe' (a yes/no flag takes its value attached, "
        + "as in --keep-alive=false)\n");
  }

  @Test
  void aRefusedConfigurationExitsTwoAndAnyOtherFailureOne() {
    Run refused = run(Map.of(), "--fail", "bad");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("error: Invalid value for --fail: bad\nRun with --help to see every flag and its default.\n");
    Run bug = run(Map.of(), "--fail", "bug");
    assertThat(bug.exit()).isEqualTo(1);
    assertThat(bug.err()).isEqualTo("error: java.lang.IllegalStateException: a bug\n");
  }

  @Test
  void helpIsNotReadFromTheEnvironment() {
    Run r = run(Map.of("THING_HELP", "true"));
    assertThat(r.exit()).isZero();
    assertThat(r.result()).isEqualTo("10 PT5S true");
  }
}
