package dev.keepalive.common;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs a picocli command whose every long option can also come from an environment variable
 * named after it: {@code --pool-size} of the gateway is {@code GATEWAY_POOL_SIZE}.
 * A flag on the command line wins over the environment, which wins over the default.
 */
public final class Cli {
  private Cli() {}

  public static CommandLine commandLine(Object command, String envPrefix, Map<String, String> env) {
    CommandLine cl = new CommandLine(command);
    cl.registerConverter(Duration.class, new DurationConverter());
    cl.setDefaultValueProvider(new EnvironmentDefaults(envPrefix, env));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpLongOptionsMaxWidth(32);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      String hint = ex instanceof CommandLine.UnmatchedArgumentException
          ? " (a yes/no flag takes its value attached, as in --keep-alive=false)" : "";
      c.getErr().println("error: " + ex.getMessage() + hint);
      c.getErr().println("Run with --help to see every flag and its default.");
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof IllegalArgumentException) {
        // A value picocli accepted but the configuration refused: a usage error like any other bad flag.
        c.getErr().println("error: " + ex.getMessage());
        c.getErr().println("Run with --help to see every flag and its default.");
        return 2;
      }
      c.getErr().println("error: " + ex);
      return 1;
    });
    return cl;
  }

  /** The environment variable that sets a long option: prefix plus the name in upper snake case. */
  public static String envName(String envPrefix, String longOption) {
    return envPrefix + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private record EnvironmentDefaults(String prefix, Map<String, String> env)
      implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (argSpec instanceof OptionSpec option && !option.usageHelp() && !option.versionHelp()) {
        String value = env.get(envName(prefix, option.longestName()));
        if (value != null && !value.isBlank()) {
          return value.trim();
        }
      }
      return null;
    }
  }
}
