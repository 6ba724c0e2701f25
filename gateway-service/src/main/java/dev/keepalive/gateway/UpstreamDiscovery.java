package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.dns.AddressResolverOptions;
import java.time.Duration;
import java.util.List;

/**
 * How the gateway finds the upstream and learns whether it is up. Vert.x keeps a resolved address as long as the
 * DNS answer's TTL says (Docker's embedded DNS says 600 s), so a re-created upstream container would be called at
 * its old address for ten minutes: {@code cacheTtl} bounds that.
 *
 * @param cacheTtl longest time a resolved address is trusted (--dns-cache-ttl)
 * @param servers DNS servers as host:port, or empty for the system's (/etc/resolv.conf) (--dns-servers)
 * @param healthUrl where /health probes the upstream when no call told its state lately, or null for
 *     {@code <upstream>/health} (--upstream-health-url): the upstream's management port keeps probes out of
 *     the connections it counts
 */
public record UpstreamDiscovery(Duration cacheTtl, List<String> servers, UpstreamAddress healthUrl) {

  public static final UpstreamDiscovery DEFAULTS = new UpstreamDiscovery(Duration.ofSeconds(5), List.of(), null);

  /** Where the health probe goes: the configured URL, or the upstream's own /health. */
  UpstreamAddress healthUrl(UpstreamAddress upstream) {
    UpstreamAddress base = healthUrl != null ? healthUrl : upstream;
    return healthUrl != null && !healthUrl.basePath().isEmpty() ? healthUrl
        : new UpstreamAddress(base.host(), base.port(), base.basePath() + "/health", base.tls());
  }

  public UpstreamDiscovery {
    if (cacheTtl.isNegative() || cacheTtl.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Invalid value for --dns-cache-ttl: " + DurationConverter.format(cacheTtl)
          + " (0 or more seconds)");
    }
    if (cacheTtl.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException("Invalid value for --dns-cache-ttl: " + DurationConverter.format(cacheTtl)
          + " (whole seconds: DNS TTLs are seconds)");
    }
    servers = List.copyOf(servers);
  }

  /**
   * Vert.x's resolver options: the cache bound, and the servers when given (no search domains then). EDNS0 (the OPT
   * record) stays off, Vert.x's default, which small lab DNS servers need (UpstreamDiscoveryTest pins it).
   */
  AddressResolverOptions resolverOptions() {
    AddressResolverOptions options = new AddressResolverOptions().setCacheMaxTimeToLive((int) cacheTtl.toSeconds());
    if (!servers.isEmpty()) {
      options.setServers(servers).setSearchDomains(List.of());
    }
    return options;
  }
}
