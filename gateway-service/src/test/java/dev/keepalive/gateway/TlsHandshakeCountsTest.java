package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.upstream.TlsSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What TLS costs in handshakes, counted on both sides and in the answers: the gateway's trust manager sees a full
 * handshake (it verifies the chain), the upstream's key manager sees it too (it signs); a resumed one skips both.
 */
class TlsHandshakeCountsTest {
  @TempDir
  Path dir;

  private Stack tlsStack(UnaryOperator<TlsSettings> upstreamTls, UnaryOperator<GatewayConfig> gateway) {
    Path cert = dir.resolve("upstream.pem");
    return Stack.start(u -> u.withTls(upstreamTls.apply(TlsSettings.generated().withCertOut(cert))),
        // Generous deadlines: 100 handshakes at once on a busy 2-core machine take seconds.
        g -> gateway.apply(g.withTls(g.tls().withTrust(cert)).with(b -> {
          b.fanoutTimeout = Duration.ofSeconds(60);
          b.requestTimeout = Duration.ofSeconds(30);
        })));
  }

  private static List<JsonObject> fanouts(Stack stack, int n, String query) {
    List<JsonObject> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Http.Answer a = stack.fanout(query);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      answers.add(a.json());
    }
    return answers;
  }

  @Test
  void poolOfOneTenFanOutsOfHundredCostOneFullHandshake() {
    try (Stack stack = tlsStack(t -> t, g -> g.withClient(true, 1, false, false, 10))) {
      List<JsonObject> answers = fanouts(stack, 10, "");
      assertThat(answers.get(0).getJsonObject("tls").getInteger("fullHandshakes")).as(answers.get(0).encode()).isEqualTo(1);
      System.out.println(answers.get(0).encode());
      System.out.println(answers.get(1).encode());
      Scrape gw = stack.gatewayMetrics();
      Scrape up = stack.upstreamMetrics();
      System.out.println(gw.text.lines().filter(l -> l.contains("tls")).toList());
      System.out.println(up.text.lines().filter(l -> l.contains("tls")).toList());
    }
  }

  @Test
  void keepAliveOffResumes() {
    try (Stack stack = tlsStack(t -> t, g -> g.withClient(false, 10, false, false, 10))) {
      List<JsonObject> answers = fanouts(stack, 1, "");
      System.out.println(answers.get(0).encode());
      Scrape gw = stack.gatewayMetrics();
      Scrape up = stack.upstreamMetrics();
      System.out.println(gw.text.lines().filter(l -> l.contains("tls")).toList());
      System.out.println(up.text.lines().filter(l -> l.contains("tls")).toList());
    }
  }
}
