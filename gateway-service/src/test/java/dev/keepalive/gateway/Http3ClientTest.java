package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.Test;

/**
 * QUIC's TLS settings come from the TCP client's, and QUIC cannot fall back to the system's CAs here: without a
 * certificate to trust (--tls-trust) or --tls-trust-all, start-up stops and names the flag.
 */
class Http3ClientTest {

  @Test
  void withoutTrustStartUpStopsNamingTheFlag() {
    HttpClientOptions systemCas = new HttpClientOptions().setSsl(true).setUseAlpn(true); // TLS settings, no trust
    assertThat(systemCas.getSslOptions()).isNotNull();
    for (HttpClientOptions untrusting : new HttpClientOptions[] {systemCas, new HttpClientOptions()}) {
      assertThatThrownBy(() -> Http3Client.ssl(untrusting))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--http3 needs the upstream's certificate trusted (--tls-trust)");
    }
  }

  @Test
  void aTrustedCertificateOrTrustAllIsCarriedOver() {
    HttpClientOptions trusting = new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(io.vertx.core.buffer.Buffer.buffer("not read here")));
    ClientSSLOptions ssl = Http3Client.ssl(trusting);
    assertThat(ssl.getTrustOptions()).isEqualTo(trusting.getSslOptions().getTrustOptions());
    assertThat(ssl).as("a copy: QUIC's changes stay out of the TCP client's").isNotSameAs(trusting.getSslOptions());

    HttpClientOptions trustAll = new HttpClientOptions().setSsl(true).setTrustAll(true);
    assertThat(Http3Client.ssl(trustAll).isTrustAll()).isTrue();
  }
}
