package dev.keepalive.gateway;

import dev.keepalive.common.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** The gateway's command line run in-process, as the flag tests read it: exit code, configuration, output. */
final class GatewayCli {
  private GatewayCli() {}

  record Run(int exit, GatewayConfig config, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    CommandLine cl = Cli.commandLine(new GatewayCommand(), "GATEWAY_", env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, cl.getExecutionResult(), out.toString(), err.toString());
  }
}
