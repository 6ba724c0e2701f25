package dev.keepalive.loadtest;

import dev.keepalive.common.Cli;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** {@code java -jar load-test.jar run|compare|demo|link [flags]} */
public final class LoadTestMain {
  static final String ENV_PREFIX = "LOADTEST_";

  private LoadTestMain() {}

  public static void main(String[] args) {
    // Before the first logger exists: the services' logback.xml in the same jar would log at INFO to stdout.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "load-test-logback.xml");
    }
    System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command line; the exit status is the return value (tests call this directly). */
  public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(env);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  static CommandLine commandLine(Map<String, String> env) {
    return Cli.commandLine(new LoadTestCommand(), ENV_PREFIX, env);
  }
}
