package dev.keepalive.gateway;

import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * Makes the upstream client look its host name up again for every new connection. Left to itself, a Vert.x
 * 5.1.6 HttpClient resolves a host once and keeps calling that address for as long as it is in use (its origin
 * endpoint is only refreshed by Alt-Svc), so a re-created upstream container would never be found under load.
 * Mapping the upstream to its own unresolved name hands resolution to each connect, which asks Vert.x's
 * resolver: its cache is bounded by --dns-cache-ttl (UpstreamDiscovery).
 */
final class ResolveOnConnect {
  private ResolveOnConnect() {}

  static AddressResolver<SocketAddress> of(UpstreamAddress upstream) {
    List<SocketAddress> byName = List.of(SocketAddress.inetSocketAddress(upstream.port(), upstream.host()));
    return AddressResolver.mappingResolver(address -> byName);
  }
}
