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
          LOG.info("gateway listening on http://{}:{} transport {} metrics {} client {} admission {} server {}",
              config.host(), server.port(), server.transport().label(), server.metricsUrl(), server.clientJson().encode(),
              config.admission().toJson(config.maxConcurrentFanouts(), config.fanoutTimeout()).encode(),
              config.serverLimits().toJson().encode());
          // SIGTERM: finish fan-outs in progress within --shutdown-grace, close the pool, exit.
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: finishing fan-outs in progress (grace {})",
                dev.keepalive.common.DurationConverter.format(config.shutdownGrace()));
            try {
              server.close().await(config.shutdownGrace().toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
              LOG.info("stopped");
            } catch (Exception e) {
              LOG.warn("shutdown did not complete in time: {}", e.toString());
            }
          }));
        })
        .onFailure(err -> {
          System.err.println("error: gateway could not listen on " + config.host() + ":" + config.port() + ": " + err.getMessage());
          System.exit(1);
        });
  }
}
