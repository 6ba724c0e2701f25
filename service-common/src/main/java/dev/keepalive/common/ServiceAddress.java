package dev.keepalive.common;

/** Where a running service answers, and where Prometheus scrapes it. */
public record ServiceAddress(String host, int port, int metricsPort) {

  public String baseUrl() {
    return url(port);
  }

  public String metricsUrl() {
    return url(metricsPort) + "/metrics";
  }

  private String url(int p) {
    // A wildcard listener is reached through loopback.
    String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + reachable + ":" + p;
  }
}
