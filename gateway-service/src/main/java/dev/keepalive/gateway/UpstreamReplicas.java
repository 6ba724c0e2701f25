package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The upstream as several replicas: where they are (--upstream), how calls are spread over them
 * (--load-balancer) and how long a connection may live before it is drained (--max-connection-age, 0 = for ever).
 *
 * @param loadBalancer null picks round-robin for several URLs, none for one
 */
public record UpstreamReplicas(UpstreamEndpoints endpoints, LoadBalancing loadBalancer, Duration maxConnectionAge) {

  public UpstreamReplicas {
    if (loadBalancer == null) {
      loadBalancer = endpoints.several() ? LoadBalancing.ROUND_ROBIN : LoadBalancing.NONE;
    }
    if (maxConnectionAge == null) {
      maxConnectionAge = Duration.ZERO;
    }
    if (maxConnectionAge.isNegative()) {
      throw new IllegalArgumentException("Invalid value for --max-connection-age: "
          + DurationConverter.format(maxConnectionAge) + " (must not be negative; 0 keeps connections for ever)");
    }
    if (endpoints.several() && loadBalancer == LoadBalancing.NONE) {
      throw new IllegalArgumentException("--load-balancer none cannot spread calls over the " + endpoints.addresses().size()
          + " URLs of --upstream: choose round-robin, least-requests or power-of-two-choices");
    }
  }

  public static UpstreamReplicas single(UpstreamAddress upstream) {
    return new UpstreamReplicas(new UpstreamEndpoints(java.util.List.of(upstream)), null, Duration.ZERO);
  }

  public UpstreamReplicas withMaxConnectionAge(Duration age) {
    return new UpstreamReplicas(endpoints, loadBalancer, age);
  }

  JsonObject json() {
    return new JsonObject()
        .put("endpoints", new JsonArray(endpoints.addresses().stream().map(UpstreamAddress::toString).toList()))
        .put("loadBalancer", loadBalancer.toString())
        .put("maxConnectionAge", maxConnectionAge.isZero() ? "none" : DurationConverter.format(maxConnectionAge));
  }
}
