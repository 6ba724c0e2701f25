package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The names compare --configs accepts. */
class ClientConfigTest {

  @Test
  void namesMapToClientSettings() {
    List<ClientConfig> c = ClientConfig.parseAll(List.of("off", "off100", "pool10", "pool", "h2", "h2x3", "pipelined", "pipelined4"), 7, 50);
    assertThat(c).extracting(ClientConfig::label).containsExactly("keep-alive off (≤7 conns)",
        "keep-alive off (≤100 conns)", "keep-alive, 10 conns", "keep-alive, 7 conns", "HTTP/2, 1 conn", "HTTP/2, 3 conns",
        "pipelined ×50, 1 conn", "pipelined ×50, 4 conns");
    assertThat(c.get(0).keepAlive()).isFalse();
    assertThat(c.get(4).http2()).isTrue();
    assertThat(c.get(6).pipelining()).isTrue();
  }

  @Test
  void aTlsSuffixRunsAConfigurationOverTls() {
    List<ClientConfig> c = ClientConfig.parseAll(List.of("off-tls", "off-tls-noresume", "pool10-tls", "h2-tls", "off"), 10, 10);
    assertThat(c).extracting(ClientConfig::tls).containsExactly(ClientConfig.Tls.RESUME, ClientConfig.Tls.NO_RESUME,
        ClientConfig.Tls.RESUME, ClientConfig.Tls.RESUME, ClientConfig.Tls.NONE);
    assertThat(c).extracting(ClientConfig::label).containsExactly("keep-alive off (≤10 conns), TLS",
        "keep-alive off (≤10 conns), TLS without resumption", "keep-alive, 10 conns, TLS", "HTTP/2, 1 conn, TLS",
        "keep-alive off (≤10 conns)");
    assertThat(c.get(3).http2()).isTrue();
    assertThatThrownBy(() -> ClientConfig.parseAll(List.of("pool10-ssl"), 10, 10)).hasMessageContaining("-tls");
  }

  @Test
  void duplicatesAndUnknownNamesAreRejected() {
    assertThatThrownBy(() -> ClientConfig.parseAll(List.of("pool1", "pool1"), 10, 10)).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> ClientConfig.parseAll(List.of("h4"), 10, 10)).hasMessageContaining("'h4' is not a configuration");
    List<ClientConfig> h3 = ClientConfig.parseAll(List.of("h3", "h3x2"), 10, 10);
    assertThat(h3).allMatch(ClientConfig::http3).noneMatch(ClientConfig::http2);
    assertThat(h3.get(0).poolSize()).isEqualTo(1);
    assertThat(h3.get(1).poolSize()).isEqualTo(2);
  }

  @Test
  void aConnectionCountIsOneToTenThousand() {
    assertThat(ClientConfig.parse("pool1", 10, 10).poolSize()).isEqualTo(1);
    assertThat(ClientConfig.parse("off10000", 10, 10).poolSize()).isEqualTo(10_000);
    assertThat(ClientConfig.parse("h2x10000", 10, 10).poolSize()).isEqualTo(10_000);
    for (String bad : List.of("pool0", "off10001", "h2x0", "pipelined99999", "pool123456", "pool99999999999")) {
      assertThatThrownBy(() -> ClientConfig.parse(bad, 10, 10)).as(bad)
          .hasMessage("Invalid value for --configs: '" + bad + "': the connection count must be 1 to 10000");
    }
  }

  @Test
  void theReportNamesEachSetting() {
    assertThat(ClientConfig.parse("pipelined4-tls-noresume", 10, 50).toJson()).isEqualTo(new io.vertx.core.json.JsonObject()
        .put("name", "pipelined4-tls-noresume").put("label", "pipelined ×50, 4 conns, TLS without resumption")
        .put("keepAlive", true).put("poolSize", 4).put("http2", false).put("pipelining", true)
        .put("pipeliningLimit", 50).put("tls", "no_resume").put("http3", false));
    io.vertx.core.json.JsonObject h3 = ClientConfig.parse("h3x2", 10, 50).toJson();
    assertThat(h3.getString("label")).isEqualTo("HTTP/3 (QUIC), 2 conns");
    assertThat(h3.getBoolean("http3")).isTrue();
    assertThat(h3.getString("tls")).isEqualTo("resume");
  }
}
