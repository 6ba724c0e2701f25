package dev.keepalive.loadtest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the load-test command line in this JVM, capturing what it prints and its exit status. */
record Cli(int exit, String out, String err) {

  static Cli run(String... args) {
    return run(Map.of(), args);
  }

  static Cli run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = LoadTestMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(exit, out.toString(), err.toString());
  }
}
