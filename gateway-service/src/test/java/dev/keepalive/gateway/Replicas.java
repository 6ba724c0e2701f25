package dev.keepalive.gateway;

import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import java.util.ArrayList;
import java.util.List;

/** Several upstream replicas on loopback, each with its own /metrics port: each counts what reached it. */
final class Replicas implements AutoCloseable {
  final List<UpstreamServer> servers = new ArrayList<>();

  /** {@code count} replicas on 127.0.0.1, free ports. */
  static Replicas start(int count, UpstreamConfig base) {
    Replicas r = new Replicas();
    for (int i = 0; i < count; i++) {
      r.servers.add(UpstreamServer.start(base.withPort(0).withMetricsPort(0)).await());
    }
    return r;
  }

  /** One replica per loopback address (127.0.0.2, .3, …), all on one port: what a DNS name with several A records gives. */
  static Replicas onAddresses(List<String> hosts, UpstreamConfig base) {
    Replicas r = new Replicas();
    int port = 0;
    for (String host : hosts) {
      UpstreamServer s = UpstreamServer.start(base.with(b -> b.host = host).withPort(port).withMetricsPort(0)).await();
      port = s.port();
      r.servers.add(s);
    }
    return r;
  }

  String[] urls() {
    return servers.stream().map(UpstreamServer::baseUrl).toArray(String[]::new);
  }

  /** The endpoint label the gateway gives replica {@code i}. */
  String endpoint(int i) {
    return servers.get(i).config().host() + ":" + servers.get(i).port();
  }

  Scrape metrics(int i) {
    return Scrape.of(servers.get(i).metricsUrl());
  }

  long accepted(int i) {
    return metrics(i).count("upstream_connections_accepted_total");
  }

  long requests(int i) {
    return metrics(i).countOrZero("upstream_requests_total");
  }

  /** Stops replica {@code i}; {@link #restart} brings it back on the same address and port. */
  void stop(int i) {
    servers.get(i).close().await();
  }

  void restart(int i, UpstreamConfig base) {
    UpstreamServer old = servers.get(i);
    servers.set(i, UpstreamServer.start(base.with(b -> b.host = old.config().host()).withPort(old.port())
        .withMetricsPort(0)).await());
  }

  @Override
  public void close() {
    for (UpstreamServer s : servers) {
      try {
        s.close().await();
      } catch (RuntimeException alreadyClosed) {
        // a replica stopped by the test
      }
    }
  }
}
