package dev.keepalive.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;

/** The upstream base URL, parsed once: {@code http://host:port[/base-path]}. */
public record UpstreamAddress(String host, int port, String basePath) {

  public static UpstreamAddress parse(String text) {
    String problem = "'" + text + "' is not an upstream base URL: write http://HOST:PORT, e.g. http://localhost:8081";
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new CommandLine.TypeConversionException(problem);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
      throw new CommandLine.TypeConversionException(problem + " (only plain http, no query or credentials)");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    return new UpstreamAddress(uri.getHost(), port, path);
  }

  @Override
  public String toString() {
    return "http://" + host + ":" + port + basePath;
  }

  public static final class Converter implements CommandLine.ITypeConverter<UpstreamAddress> {
    @Override
    public UpstreamAddress convert(String value) {
      return parse(value);
    }
  }
}
