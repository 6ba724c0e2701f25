package dev.keepalive.gateway;

import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The upstream's replicas as --upstream lists them: one base URL (whose DNS name may have several A
 * records), or several, comma-separated. Tells the client builder where calls may go.
 */
public record UpstreamEndpoints(List<UpstreamAddress> addresses) {

  public UpstreamEndpoints {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("--upstream names no URL: give one base URL or several, comma-separated");
    }
    String path = addresses.get(0).basePath();
    for (UpstreamAddress a : addresses) {
      if (!a.basePath().equals(path)) {
        throw new IllegalArgumentException("--upstream: every replica needs the same base path, got '" + path
            + "' and '" + a.basePath() + "'");
      }
    }
  }

  public static UpstreamEndpoints of(String... urls) {
    return parse(String.join(",", urls));
  }

  /** {@code http://a:8081,http://b:8081}: an empty list or a mix of schemes is refused before any URL is parsed. */
  public static UpstreamEndpoints parse(String text) {
    List<String> urls = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (!part.isBlank()) {
        urls.add(part.trim());
      }
    }
    if (urls.isEmpty()) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' names no upstream: give one base URL, or several comma-separated, e.g. http://a:8081,http://b:8081");
    }
    List<String> schemes = urls.stream().map(UpstreamEndpoints::scheme).distinct().toList();
    if (schemes.size() > 1) {
      throw new CommandLine.TypeConversionException("'" + text + "' mixes " + String.join(" and ", schemes)
          + ": every replica of one upstream speaks the same scheme");
    }
    return new UpstreamEndpoints(urls.stream().map(UpstreamAddress::parse).toList());
  }

  private static String scheme(String url) {
    try {
      String s = new URI(url).getScheme();
      return s == null ? "(none)" : s.toLowerCase();
    } catch (Exception e) {
      return "(none)";
    }
  }

  UpstreamAddress primary() {
    return addresses.get(0);
  }

  boolean several() {
    return addresses.size() > 1;
  }

  /**
   * Balancing over the replicas: a resolver that maps the client's default address (the first URL) to every URL,
   * or, for one name, to every address its DNS gives now (see {@link UpstreamNameWatch}).
   *
   * @return the name watch to close with the client, or null
   */
  UpstreamNameWatch configure(HttpClientBuilder builder, LoadBalancing balancing, io.vertx.core.Vertx vertx) {
    if (balancing == LoadBalancing.NONE) {
      return null;
    }
    UpstreamNameWatch watch = null;
    if (several()) {
      List<SocketAddress> all = addresses.stream().map(a -> SocketAddress.inetSocketAddress(a.port(), a.host())).toList();
      builder.withAddressResolver(AddressResolver.mappingResolver(address -> all));
    } else {
      UpstreamNameWatch w = new UpstreamNameWatch(vertx, primary());
      builder.withAddressResolver(AddressResolver.mappingResolver(address -> w.addresses()));
      watch = w;
    }
    // A replica that refuses connects is skipped for a moment, so a refused call's one retry finds a live one.
    builder.withLoadBalancer(new RefusedConnectEjection(balancing.vertx()));
    return watch;
  }

  @Override
  public String toString() {
    return addresses.stream().map(UpstreamAddress::toString).collect(Collectors.joining(","));
  }

  public static final class Converter implements CommandLine.ITypeConverter<UpstreamEndpoints> {
    @Override
    public UpstreamEndpoints convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
