package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.dns.AddressResolverOptions;
import java.time.Duration;
import java.util.List;

/**
 * How the gateway resolves the upstream's name. Vert.x keeps a resolved address as long as the DNS answer's
 * TTL says (Docker's embedded DNS says 600 s), so a re-created upstream container would be called at its old
 * address for ten minutes: {@code cacheTtl} bounds that.
 *
 * @param cacheTtl longest time a resolved address is trusted (--dns-cache-ttl)
 * @param servers DNS servers as host:port, or empty for the system's (/etc/resolv.conf) (--dns-servers)
 */
public record DnsSettings(Duration cacheTtl, List<String> servers) {

  public static final DnsSettings DEFAULTS = new DnsSettings(Duration.ofSeconds(5), List.of());

  public DnsSettings {
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

  /** Vert.x's resolver options: the cache bound, and the servers when given (no search domains then). */
  AddressResolverOptions resolverOptions() {
    AddressResolverOptions options = new AddressResolverOptions().setCacheMaxTimeToLive((int) cacheTtl.toSeconds());
    if (!servers.isEmpty()) {
      options.setServers(servers).setSearchDomains(List.of()).setOptResourceEnabled(false);
    }
    return options;
  }
}
