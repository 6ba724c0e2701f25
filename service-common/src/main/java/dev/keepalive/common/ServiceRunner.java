package dev.keepalive.common;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Deployable;
import java.util.function.Supplier;

/** Deploys a service's verticle instances and closes Vert.x when the deployment fails. */
public final class ServiceRunner {
  private ServiceRunner() {}

  public static Future<String> deploy(Vertx vertx, Supplier<? extends Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
        .recover(err -> vertx.close().transform(ignored -> Future.failedFuture(err)));
  }
}
