package dev.keepalive.common;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;

/**
 * One Prometheus registry per service, with the histogram buckets this workload needs
 * (sub-millisecond loopback calls up to multi-second fan-outs), and a Vert.x instance that
 * reports its own HTTP and pool metrics into it.
 */
public final class MetricsRegistries {
  private MetricsRegistries() {}

  /**
   * Seconds: 50us to 10s, dense where loopback calls and fan-outs land, and from 10 ms to 2.5 s (calls
   * across a round trip of tens of ms, see the latency link) fine enough for a quantile read from the
   * buckets to be within about 20 % of the truth.
   */
  static final double[] LATENCY_BUCKETS_SECONDS = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05,
      0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 10};

  /** Requests served per connection: 1 (no keep-alive) to many thousands. */
  static final double[] COUNT_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000, 1000000};

  static final java.util.Set<String> PROMTOOL_REJECTS =
      java.util.Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        // Micrometer names these with abbreviated units or a _count gauge, which promtool rejects.
        .meterFilter(MeterFilter.deny(id -> PROMTOOL_REJECTS.contains(id.getName())))
        .meterFilter(histogramBuckets());
    return registry;
  }

  /** Buckets for every timer (ours and Vert.x's) and for the per-connection distribution. */
  static MeterFilter histogramBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        double[] slos;
        if (id.getType() == Meter.Type.TIMER) {
          slos = new double[LATENCY_BUCKETS_SECONDS.length];
          for (int i = 0; i < slos.length; i++) {
            slos[i] = Duration.ofNanos(Math.round(LATENCY_BUCKETS_SECONDS[i] * 1e9)).toNanos();
          }
        } else if (id.getName().endsWith("requests.per.connection")) {
          slos = COUNT_BUCKETS;
        } else {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(slos)
            .build()
            .merge(config);
      }
    };
  }

  /**
   * A Vert.x whose built-in metrics (HTTP server, connection pools by name, JVM) go to the registry. The HTTP
   * client's per-request series are left out: the gateway records its upstream calls itself (see
   * {@link WithoutClientRequestMetrics}). Its event loops run on {@code transport} (or NIO, logged, when it cannot run).
   */
  public static Vertx newVertx(PrometheusMeterRegistry registry, String serviceName, VertxOptions base,
      TransportChoice transport) {
    return newVertx(registry, serviceName, base, transport, java.util.function.UnaryOperator.identity());
  }

  /** @param decorateTransport what Vert.x runs on instead of the chosen transport (see {@link TransportChoice#build}) */
  public static Vertx newVertx(PrometheusMeterRegistry registry, String serviceName, VertxOptions base,
      TransportChoice transport, java.util.function.UnaryOperator<io.vertx.core.transport.Transport> decorateTransport) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Registries are cached by name inside vertx-micrometer-metrics: one name per instance.
        .setRegistryName(serviceName + "-" + UUID.randomUUID())
        // The 5.1 defaults lack the server's and client's names: without them every server or client sums into one series.
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.CLIENT_NAME, Label.SERVER_NAME, Label.NAMESPACE));
    return transport.build(Vertx.builder()
        .with(new VertxOptions(base).setMetricsOptions(metrics))
        .withMetrics(options -> new WithoutClientRequestMetrics(new MicrometerMetricsFactory(registry).metrics(options))),
        serviceName, decorateTransport);
  }
}
