package dev.keepalive.gateway;

import dev.keepalive.common.Cli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code java -jar gateway-service.jar [flags]} */
public final class GatewayMain {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  public static void main(String[] args) {
    CommandLine cl = Cli.commandLine(new GatewayCommand(), GatewayCommand.envPrefix(), System.getenv());
    int exit = cl.execute(args);
    GatewayConfig config = cl.getExecutionResult();
    if (exit != 0 || config == null) {
      System.exit(exit);
    }
    GatewayServer.start(config)
        .onSuccess(server -> {
          LOG.info("gateway listening on http://{}:{} metrics {} client {}", config.host(), server.port(),
              server.metricsUrl(), config.clientJson().encode());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> server.close().await()));
        })
        .onFailure(err -> {
          System.err.println("error: gateway could not listen on " + config.host() + ":" + config.port() + ": " + err.getMessage());
          System.exit(1);
        });
  }
}
