package dev.keepalive.loadtest;

import java.net.URI;
import java.net.URISyntaxException;

/** An http base URL: the gateway to drive, or where a service's metrics are. */
record Target(String host, int port, String path) {

  static Target parse(String flag, String text) {
    String problem = "Invalid value for " + flag + ": '" + text + "' is not an http URL (write e.g. http://localhost:8080)";
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
        || uri.getFragment() != null || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(problem + " (plain http, no query)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return new Target(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort(), path);
  }

  /** The same host and port with another path. */
  Target resolve(String subPath) {
    return new Target(host, port, path + subPath);
  }

  @Override
  public String toString() {
    return "http://" + host + ":" + port + path;
  }
}
