package dev.keepalive.loadtest;

import picocli.CommandLine.Command;

/** The top-level command: its subcommands do the work. */
@Command(name = "load-test", mixinStandardHelpOptions = true, version = "keepalive-lab load-test 1.0.0-SNAPSHOT",
    description = "Load-test driver for the keep-alive gateway: what keep-alive, pool size and HTTP/2 do to "
        + "connections and latency.",
    subcommands = {RunCommand.class, CompareCommand.class, DemoCommand.class, dev.keepalive.link.LinkCommand.class, OverloadCommand.class,
        ScaleOutCommand.class},
    footer = {"", "Start with: java -jar load-test.jar demo"})
final class LoadTestCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: run, compare, demo, link, overload or scale-out");
  }
}
