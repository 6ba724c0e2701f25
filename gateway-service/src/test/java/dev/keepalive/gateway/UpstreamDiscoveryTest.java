package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.dns.AddressResolverOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the gateway resolves the upstream (--dns-cache-ttl, --dns-servers) and where /health probes it. */
class UpstreamDiscoveryTest {
  private static final UpstreamAddress UPSTREAM = UpstreamAddress.parse("http://up.example:8081/base");

  @Test
  void withoutDnsServersTheSystemsResolversAndSearchDomainsStayAndOnlyTheCacheIsBounded() {
    AddressResolverOptions system = new AddressResolverOptions();
    AddressResolverOptions options = new UpstreamDiscovery(Duration.ofSeconds(30), List.of(), null).resolverOptions();
    assertThat(options.getCacheMaxTimeToLive()).isEqualTo(30);
    assertThat(options.getServers()).isEqualTo(system.getServers());
    assertThat(options.getSearchDomains()).isEqualTo(system.getSearchDomains());
    assertThat(options.isOptResourceEnabled()).isEqualTo(system.isOptResourceEnabled());
  }

  @Test
  void dnsServersReplaceTheSystemsAndNoSearchDomainIsAppended() {
    AddressResolverOptions options = new UpstreamDiscovery(Duration.ZERO, List.of("127.0.0.1:5353", "10.0.0.2:53"), null)
        .resolverOptions();
    assertThat(options.getCacheMaxTimeToLive()).isZero();
    assertThat(options.getServers()).containsExactly("127.0.0.1:5353", "10.0.0.2:53");
    assertThat(options.getSearchDomains()).isEmpty();
    // A small loopback or lab DNS server may not understand EDNS0.
    assertThat(options.isOptResourceEnabled()).isFalse();
  }

  @Test
  void theCacheTtlIsWholeNonNegativeSecondsAndARefusalNamesTheFlag() {
    assertThat(new UpstreamDiscovery(Duration.ofSeconds(Integer.MAX_VALUE), List.of(), null).cacheTtl().toSeconds())
        .isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> new UpstreamDiscovery(Duration.ofSeconds(-1), List.of(), null))
        .hasMessage("Invalid value for --dns-cache-ttl: -1s (0 or more seconds)");
    assertThatThrownBy(() -> new UpstreamDiscovery(Duration.ofSeconds(Integer.MAX_VALUE + 1L), List.of(), null))
        .hasMessageStartingWith("Invalid value for --dns-cache-ttl: ").hasMessageEndingWith(" (0 or more seconds)");
    assertThatThrownBy(() -> new UpstreamDiscovery(Duration.ofMillis(1500), List.of(), null))
        .hasMessage("Invalid value for --dns-cache-ttl: 1500ms (whole seconds: DNS TTLs are seconds)");
  }

  @Test
  void healthIsProbedAtTheUpstreamsHealthPathUnlessAHealthUrlIsGiven() {
    assertThat(UpstreamDiscovery.DEFAULTS.healthUrl(UPSTREAM).toString()).isEqualTo("http://up.example:8081/base/health");
    // A management port without a path: its /health.
    assertThat(new UpstreamDiscovery(Duration.ZERO, List.of(), UpstreamAddress.parse("http://mgmt:9091"))
        .healthUrl(UPSTREAM).toString()).isEqualTo("http://mgmt:9091/health");
    // A full URL is probed as given.
    assertThat(new UpstreamDiscovery(Duration.ZERO, List.of(), UpstreamAddress.parse("https://mgmt:9091/ready"))
        .healthUrl(UPSTREAM).toString()).isEqualTo("https://mgmt:9091/ready");
  }
}
