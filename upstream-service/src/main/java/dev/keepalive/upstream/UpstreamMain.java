package dev.keepalive.upstream;

import dev.keepalive.common.Cli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code java -jar upstream-service.jar [flags]} */
public final class UpstreamMain {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamMain.class);

  public static void main(String[] args) {
    CommandLine cl = Cli.commandLine(new UpstreamCommand(), UpstreamCommand.envPrefix(), System.getenv());
    int exit = cl.execute(args);
    UpstreamConfig config = cl.getExecutionResult();
    if (exit != 0 || config == null) {
      System.exit(exit);
    }
    UpstreamServer.start(config)
        .onSuccess(server -> {
          LOG.info("upstream listening on {}://{}:{} metrics {} {}{}", server.tls() == null ? "http" : "https",
              config.host(), server.port(), server.metricsUrl(), config.toJson().encode(),
              server.tls() == null ? "" : " " + server.tls().describe());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> server.close().await()));
        })
        .onFailure(err -> {
          System.err.println("error: upstream could not listen on " + config.host() + ":" + config.port() + ": " + err.getMessage());
          System.exit(1);
        });
  }
}
