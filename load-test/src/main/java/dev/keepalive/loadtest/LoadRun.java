package dev.keepalive.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run against a gateway: warm-up, wait for it to drain, scrape the metrics, the measured window,
 * wait for its last request, scrape again. The driver gets its own Vert.x with one event loop.
 */
final class LoadRun {
  private final String name;
  private final Target target;
  private final Target gatewayMetrics;
  private final Target upstreamMetrics;
  private final LoadPlan plan;

  /** @param upstreamMetrics null when the upstream's metrics are not to be read */
  LoadRun(String name, Target target, Target gatewayMetrics, Target upstreamMetrics, LoadPlan plan) {
    this.name = name;
    this.target = target;
    this.gatewayMetrics = gatewayMetrics;
    this.upstreamMetrics = upstreamMetrics;
    this.plan = plan;
  }

  RunResult execute(Progress progress) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      LoadDriver driver = new LoadDriver(vertx, target, plan);
      MetricsScraper scraper = new MetricsScraper(vertx);
      if (!plan.warmup().isZero()) {
        await(driver.phase(plan.warmup(), new Recording(System.nanoTime()), r -> {}), plan.warmup());
      }
      List<String> warnings = new ArrayList<>();
      PrometheusText gatewayBefore = scrape(scraper, gatewayMetrics, warnings);
      PrometheusText upstreamBefore = scrape(scraper, upstreamMetrics, warnings);
      Recording recording = new Recording(System.nanoTime());
      await(driver.phase(plan.duration(), recording, progress::tick), plan.duration());
      progress.done();
      if (driver.saturationWarning() != null) {
        warnings.add(driver.saturationWarning());
      }
      PrometheusText gatewayAfter = gatewayBefore == null ? null : scrape(scraper, gatewayMetrics, warnings);
      PrometheusText upstreamAfter = upstreamBefore == null ? null : scrape(scraper, upstreamMetrics, warnings);
      ServiceCounts services = gatewayAfter == null && upstreamAfter == null ? null : new ServiceCounts(
          gatewayAfter == null ? null : ServiceCounts.Gateway.between(gatewayBefore, gatewayAfter),
          upstreamAfter == null ? null : ServiceCounts.Upstream.between(upstreamBefore, upstreamAfter));
      await(driver.close().eventually(scraper::close), java.time.Duration.ZERO);
      return RunResult.of(name, target, plan, recording, services, warnings);
    } finally {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // the driver's threads are daemons: nothing is left to wait for
      }
    }
  }

  private static PrometheusText scrape(MetricsScraper scraper, Target url, List<String> warnings) {
    if (url == null) {
      return null;
    }
    try {
      return scraper.scrape(url).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      warnings.add(e.getMessage() == null ? e.toString() : e.getMessage());
      return null;
    }
  }

  /** Waits for a phase: its length, then the time its slowest request may take, and a margin. */
  private void await(Future<?> future, java.time.Duration length) {
    long ms = length.toMillis() + 2 * plan.timeout().toMillis() + 10_000;
    try {
      future.await(ms, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the load phase did not end within " + ms + " ms");
    }
  }
}
