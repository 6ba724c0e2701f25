package dev.keepalive.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;

/** The upstream base URL, parsed once: {@code http[s]://host:port[/base-path]}; tls for https. */
public record UpstreamAddress(String host, int port, String basePath, boolean tls) {

  public UpstreamAddress(String host, int port, String basePath) {
    this(host, port, basePath, false);
  }

  public static UpstreamAddress parse(String text) {
    String problem = "'" + text + "' is not an upstream base URL: write http://HOST:PORT or https://HOST:PORT, e.g. http://localhost:8081";
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new CommandLine.TypeConversionException(problem);
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    if (!("http".equalsIgnoreCase(uri.getScheme()) || tls) || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
      throw new CommandLine.TypeConversionException(problem + " (http or https only, no query or credentials)");
    }
    int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    return new UpstreamAddress(uri.getHost(), port, path, tls);
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + host + ":" + port + basePath;
  }

  public static final class Converter implements CommandLine.ITypeConverter<UpstreamAddress> {
    @Override
    public UpstreamAddress convert(String value) {
      return parse(value);
    }
  }
}
