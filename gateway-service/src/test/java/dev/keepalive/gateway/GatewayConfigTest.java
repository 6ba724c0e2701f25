package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keepalive.common.TransportChoice;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gateway's configuration record: each limit inclusive, each refusal naming its flag, the JSON every answer carries. */
class GatewayConfigTest {
  static final GatewayConfig BASE = GatewayConfig.defaults("http://127.0.0.1:9");

  @Test
  void limitsAreInclusive() {
    assertThat(BASE.with(b -> b.maxFanOut = 100_000).maxFanOut()).isEqualTo(100_000);
    assertThat(BASE.with(b -> { b.fanOut = 1; b.maxFanOut = 1; }).fanOut()).isEqualTo(1);
    assertThat(BASE.with(b -> b.poolSize = 10_000).poolSize()).isEqualTo(10_000);
    assertThat(BASE.with(b -> b.pipeliningLimit = 1).pipeliningLimit()).isEqualTo(1);
    assertThat(BASE.with(b -> b.maxWaitQueue = -1).maxWaitQueue()).isEqualTo(-1);
    assertThat(BASE.with(b -> b.maxWaitQueue = 0).maxWaitQueue()).isZero();
    assertThat(BASE.with(b -> b.maxConcurrentFanouts = 1).maxConcurrentFanouts()).isEqualTo(1);
    assertThat(BASE.with(b -> b.shutdownGrace = Duration.ZERO).shutdownGrace()).isZero();
    assertThat(BASE.with(b -> b.instances = 256).instances()).isEqualTo(256);
    assertThat(BASE.withMetricsPort(0).separateMetricsPort()).isTrue();
    assertThat(BASE.separateMetricsPort()).isFalse();
  }

  @Test
  void eachRefusalNamesItsFlag() {
    assertThatThrownBy(() -> BASE.with(b -> b.fanOut = 1001)).hasMessage("Invalid value for --fan-out: 1001 (must be between 1 and 1000)");
    assertThatThrownBy(() -> BASE.with(b -> b.maxFanOut = 100_001)).hasMessageStartingWith("Invalid value for --max-fan-out: 100001");
    assertThatThrownBy(() -> BASE.with(b -> b.poolSize = 0)).hasMessageStartingWith("Invalid value for --pool-size: 0");
    assertThatThrownBy(() -> BASE.with(b -> b.keepAliveTimeout = Duration.ZERO)).hasMessageStartingWith("Invalid value for --keep-alive-timeout");
    assertThatThrownBy(() -> BASE.with(b -> { b.http2 = true; b.pipelining = true; }))
        .hasMessage("--http2 and --pipelining exclude each other: HTTP/2 multiplexes, pipelining is HTTP/1.1 only");
    assertThatThrownBy(() -> BASE.with(b -> b.pipeliningLimit = 0)).hasMessageStartingWith("Invalid value for --pipelining-limit: 0");
    assertThatThrownBy(() -> BASE.with(b -> b.maxWaitQueue = -2)).hasMessage("Invalid value for --max-wait-queue: -2 (-1 for unbounded, or 0 and above)");
    assertThatThrownBy(() -> BASE.with(b -> b.connectTimeout = Duration.ZERO)).hasMessageStartingWith("Invalid value for --connect-timeout");
    assertThatThrownBy(() -> BASE.with(b -> b.requestTimeout = Duration.ZERO)).hasMessageStartingWith("Invalid value for --request-timeout");
    assertThatThrownBy(() -> BASE.with(b -> b.fanoutTimeout = Duration.ZERO)).hasMessageStartingWith("Invalid value for --fanout-timeout");
    assertThatThrownBy(() -> BASE.with(b -> b.maxConcurrentFanouts = 0)).hasMessageStartingWith("Invalid value for --max-concurrent-fanouts: 0");
    assertThatThrownBy(() -> BASE.with(b -> b.shutdownGrace = Duration.ofSeconds(-1))).hasMessageStartingWith("Invalid value for --shutdown-grace");
    assertThatThrownBy(() -> BASE.with(b -> b.instances = 257)).hasMessageStartingWith("Invalid value for --instances: 257");
    assertThatThrownBy(() -> BASE.withMetricsPort(70_000)).hasMessageStartingWith("Invalid value for --metrics-port: 70000");
    assertThatThrownBy(() -> BASE.withPort(-1)).hasMessageStartingWith("Invalid value for --port: -1");
  }

  @Test
  void transportsAndTheirUpstreamsMustFit() {
    GatewayConfig https = BASE.with(b -> b.upstream = UpstreamAddress.parse("https://127.0.0.1:9"));
    assertThatThrownBy(() -> BASE.withHttp3())
        .hasMessage("--http3 needs an https:// --upstream: QUIC always encrypts (got http://127.0.0.1:9)");
    assertThatThrownBy(() -> https.with(b -> { b.http3 = true; b.http2 = true; }))
        .hasMessage("--http3 excludes --http2: HTTP/3 multiplexes over QUIC, the others are TCP protocols");
    assertThatThrownBy(() -> https.with(b -> { b.http3 = true; b.pipelining = true; }))
        .hasMessage("--http3 excludes --pipelining: HTTP/3 multiplexes over QUIC, the others are TCP protocols");
    GatewayConfig h3 = https.withClient(true, 10, true, false, 10).withHttp3();
    assertThat(h3.http3()).isTrue();
    assertThat(h3.http2()).as("cleared by withHttp3").isFalse();
    assertThat(h3.protocol()).isEqualTo("HTTP/3");
    assertThatThrownBy(() -> BASE.withTls(TlsSettings.DEFAULTS.withTrustAll()))
        .hasMessage("--tls-trust-all needs an https:// --upstream (got http://127.0.0.1:9)");
    assertThat(BASE.withTls(null).tls()).as("the defaults").isEqualTo(TlsSettings.DEFAULTS);
    assertThat(https.clientJson(TransportChoice.NIO).getJsonObject("tls")).isEqualTo(TlsSettings.DEFAULTS.toJson());
    assertThatThrownBy(() -> BASE.with(b -> b.transport = null)).hasMessage("--transport");
    assertThatThrownBy(() -> BASE.with(b -> b.admission = null)).hasMessage("admission and server limits must be given");
    assertThatThrownBy(() -> BASE.with(b -> b.serverLimits = null)).hasMessage("admission and server limits must be given");
  }

  @Test
  void oneUpstreamUrlIsTheOneReplicaAndSeveralMakeTheFirstTheUpstream() {
    // One URL: the replicas follow --upstream, keeping their balancer and connection age.
    GatewayConfig one = BASE.with(b -> b.replicas = UpstreamReplicas.single(UpstreamAddress.parse("http://elsewhere:1"))
        .withMaxConnectionAge(Duration.ofSeconds(30)));
    assertThat(one.replicas().endpoints().addresses()).containsExactly(BASE.upstream());
    assertThat(one.replicas().maxConnectionAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(one.replicas().loadBalancer()).isEqualTo(LoadBalancing.NONE);
    GatewayConfig three = BASE.with(b -> b.replicas = new UpstreamReplicas(
        UpstreamEndpoints.of("http://a:1", "http://b:1", "http://c:1"), null, null));
    assertThat(three.upstream().toString()).isEqualTo("http://a:1");
    assertThat(three.replicas().loadBalancer()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(three.replicas().maxConnectionAge()).isZero();
  }

  @Test
  void theCopyHelpersChangeOnlyWhatTheySay() {
    GatewayConfig c = BASE.withClient(false, 3, true, false, 7).withKeepAliveTimeout(Duration.ofSeconds(2))
        .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(200)).withInstances(2).withFanOut(5000);
    assertThat(c.keepAlive()).isFalse();
    assertThat(c.poolSize()).isEqualTo(3);
    assertThat(c.http2()).isTrue();
    assertThat(c.pipeliningLimit()).isEqualTo(7);
    assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.instances()).isEqualTo(2);
    assertThat(c.fanOut()).isEqualTo(5000);
    assertThat(c.maxFanOut()).as("raised to fit").isEqualTo(5000);
    assertThat(BASE.withFanOut(10).maxFanOut()).as("never lowered").isEqualTo(1000);
    assertThat(c.upstream()).isEqualTo(BASE.upstream());
    assertThat(c.protocol()).isEqualTo("HTTP/2");
    assertThat(BASE.protocol()).isEqualTo("HTTP/1.1");
  }

  @Test
  void clientJsonReportsTheConfigurationInEffect() {
    JsonObject j = BASE.withClient(true, 10, false, true, 20).withInstances(4).clientJson(TransportChoice.NIO);
    assertThat(j).isEqualTo(new JsonObject()
        .put("upstream", "http://127.0.0.1:9")
        .put("protocol", "HTTP/1.1")
        .put("keepAlive", true)
        .put("poolSize", 10)
        .put("lanes", 4)
        .put("keepAliveTimeout", "4s")
        .put("pipelining", true)
        .put("pipeliningLimit", 20)
        .put("maxWaitQueue", 10_000)
        .put("connectTimeout", "1s")
        .put("requestTimeout", "2s")
        .put("fanoutTimeout", "5s")
        .put("retry", true)
        .put("transport", "nio")
        .putNull("tls")
        .put("replicas", new JsonObject().put("endpoints", new io.vertx.core.json.JsonArray().add("http://127.0.0.1:9"))
            .put("loadBalancer", "none").put("maxConnectionAge", "none")));
    assertThat(BASE.withClient(true, 2, false, false, 1).withInstances(4).clientJson(TransportChoice.NIO).getInteger("lanes"))
        .as("never more lanes than connections").isEqualTo(2);
  }

  @Test
  void severalUpstreamUrlsSpeakOneScheme() {
    UpstreamEndpoints two = UpstreamEndpoints.parse(" http://a:1 ,, http://b:1 ");
    assertThat(two.toString()).isEqualTo("http://a:1,http://b:1");
    assertThat(two.several()).isTrue();
    assertThat(UpstreamEndpoints.parse("http://a:1").several()).isFalse();
    // A part that is not even a URI has no scheme.
    assertThatThrownBy(() -> UpstreamEndpoints.parse("http://a:1,not a url"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'http://a:1,not a url' mixes http and (none): every replica of one upstream speaks the same scheme");
    assertThatThrownBy(() -> new LoadBalancing.Converter().convert("random"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'random' is not a load balancer: choose one of none, round-robin, least-requests, power-of-two-choices");
    assertThat(LoadBalancing.parse(" Least-Requests ")).isEqualTo(LoadBalancing.LEAST_REQUESTS);
    assertThatThrownBy(() -> new UpstreamEndpoints.Converter().convert("http://a:1/x,http://b:1/y"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("--upstream: every replica needs the same base path, got '/x' and '/y'");
  }

  @Test
  void upstreamAddressesAreHttpBaseUrls() {
    assertThat(UpstreamAddress.parse(" http://example:8081/base// ")).isEqualTo(new UpstreamAddress("example", 8081, "/base"));
    assertThat(UpstreamAddress.parse("http://example")).isEqualTo(new UpstreamAddress("example", 80, ""));
    assertThat(UpstreamAddress.parse("HTTP://h:1/").toString()).isEqualTo("http://h:1");
    for (String bad : new String[] {"ftp://h:1", "http://h:1/?q=1", "http://h:1/#f", "http://u:p@h:1", "h:1", "http://", "http://h:1 x"}) {
      assertThatThrownBy(() -> UpstreamAddress.parse(bad)).as(bad).isInstanceOf(CommandLine.TypeConversionException.class)
          .hasMessageStartingWith("'" + bad.trim() + "' is not an upstream base URL: write http://HOST:PORT");
    }
    assertThat(new UpstreamAddress.Converter().convert("http://h:2")).isEqualTo(new UpstreamAddress("h", 2, ""));
  }
}
