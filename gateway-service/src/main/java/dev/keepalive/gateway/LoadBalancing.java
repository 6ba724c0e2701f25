package dev.keepalive.gateway;

import io.vertx.core.net.endpoint.LoadBalancer;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** How the client spreads calls over the upstream's endpoints (--load-balancer); Vert.x does the balancing. */
public enum LoadBalancing {
  /** One endpoint: the first address of --upstream's name, as a client without balancing connects. */
  NONE("none", null),
  ROUND_ROBIN("round-robin", LoadBalancer.ROUND_ROBIN),
  /** The endpoint with the fewest calls in flight. */
  LEAST_REQUESTS("least-requests", LoadBalancer.LEAST_REQUESTS),
  /** Two endpoints at random, the one with fewer calls in flight. */
  POWER_OF_TWO_CHOICES("power-of-two-choices", LoadBalancer.POWER_OF_TWO_CHOICES);

  private final String flagValue;
  private final LoadBalancer vertx;

  LoadBalancing(String flagValue, LoadBalancer vertx) {
    this.flagValue = flagValue;
    this.vertx = vertx;
  }

  LoadBalancer vertx() {
    return vertx;
  }

  @Override
  public String toString() {
    return flagValue;
  }

  static String choices() {
    return Arrays.stream(values()).map(LoadBalancing::toString).collect(Collectors.joining(", "));
  }

  public static LoadBalancing parse(String text) {
    for (LoadBalancing b : values()) {
      if (b.flagValue.equalsIgnoreCase(text.trim())) {
        return b;
      }
    }
    throw new CommandLine.TypeConversionException("'" + text + "' is not a load balancer: choose one of " + choices());
  }

  public static final class Converter implements CommandLine.ITypeConverter<LoadBalancing> {
    @Override
    public LoadBalancing convert(String value) {
      return parse(value);
    }
  }
}
