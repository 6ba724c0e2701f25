package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.tls.TlsVersions;
import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LatencyLink;
import dev.keepalive.link.LinkConfig;
import dev.keepalive.link.Targets;
import dev.keepalive.upstream.Delay;
import dev.keepalive.upstream.TlsSettings;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code link --to a,b} carries UDP to every target, as it does TCP: each UDP flow (a client address) is given the next
 * target when its first datagram arrives and keeps it, so a QUIC connection stays on one replica. Two gateways speaking
 * HTTP/3 (each a flow of its own: a Vert.x HTTP/3 client sends from one UDP socket) behind the link reach both replicas.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http3AcrossLinkTargetsTest {
  final HttpClient http = HttpClient.newHttpClient();
  final Vertx linkVertx = Vertx.vertx();
  final List<UpstreamServer> upstreams = new ArrayList<>();
  final List<GatewayServer> gateways = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (GatewayServer g : gateways) {
      g.close().await(30, TimeUnit.SECONDS);
    }
    linkVertx.close().await(30, TimeUnit.SECONDS);
    for (UpstreamServer u : upstreams) {
      u.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void eachGatewaysQuicConnectionGoesToTheNextTargetAndStaysThere() throws Exception {
    for (int i = 0; i < 2; i++) {
      upstreams.add(UpstreamServer.start(UpstreamConfig.defaults().withDelay(Delay.parse("1ms"))
          .withTls(TlsSettings.generated().withVersions(TlsVersions.parse("1.3"))).withHttp3())
          .await(30, TimeUnit.SECONDS));
    }
    LatencyLink link = LatencyLink.start(linkVertx, new LinkConfig(new HostPort("127.0.0.1", 0),
        Targets.of(upstreams.stream().map(u -> new HostPort("127.0.0.1", u.port())).toList()),
        Duration.ofMillis(2), Duration.ZERO, 1)).await(30, TimeUnit.SECONDS);
    for (int i = 0; i < 2; i++) {
      GatewayConfig g = GatewayConfig.defaults("https://127.0.0.1:" + link.port()).withHttp3();
      gateways.add(GatewayServer.start(g.withTls(g.tls().withTrustAll()).with(b -> {
        b.poolSize = 1;
        // A cold JVM's first QUIC handshake loads quiche and BoringSSL: seconds on a busy 2-core machine.
        b.connectTimeout = Duration.ofSeconds(20);
        b.requestTimeout = Duration.ofSeconds(20);
        b.fanoutTimeout = Duration.ofSeconds(60);
      })).await(30, TimeUnit.SECONDS));
    }

    // One gateway after the other: the first flow gets the first target, the second the second.
    for (int round = 0; round < 3; round++) {
      for (GatewayServer gateway : gateways) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/fanout?calls=10"))
            .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getInteger("succeeded")).isEqualTo(10);
      }
    }

    assertThat(link.stats().opened()).as("no TCP connection through the link").isZero();
    for (int i = 0; i < 2; i++) {
      MeterRegistry up = upstreams.get(i).registry();
      assertThat(up.get("upstream.connections.accepted").tag("protocol", "quic").counter().count())
          .as("QUIC connections accepted by replica %d", i).isEqualTo(1.0);
      assertThat(up.get("upstream.connections.accepted").tag("protocol", "tcp").counter().count()).isZero();
      // Every call of a gateway went to its replica: its QUIC connection's datagrams all went to one target.
      assertThat(Services.counter(up, "upstream.requests")).as("requests at replica %d", i).isEqualTo(30);
      assertThat(Services.counter(gateways.get(i).registry(), "gateway.upstream.connections.opened")).isEqualTo(1);
    }
  }
}
