package dev.keepalive.common.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.TrustManagerFactory;

/**
 * The OpenSSL engine on a client that resumes no session: Vert.x's own switch ({@code setSessionCacheEnabled(false)})
 * only reaches a server's session context, and the client kept offering its cached sessions (measured: 90 of 100
 * handshakes still resumed). Here the client's session cache is off, so it offers none.
 */
final class OpenSslWithoutResumption extends OpenSSLEngineOptions {

  OpenSslWithoutResumption() {
    setSessionCacheEnabled(false);
  }

  @Override
  public OpenSSLEngineOptions copy() {
    return new OpenSslWithoutResumption();
  }

  @Override
  public SslContextFactory sslContextFactory() {
    SslContextFactory delegate = super.sslContextFactory();
    return new SslContextFactory() {
      @Override
      public SslContextFactory useAlpn(boolean useAlpn) {
        delegate.useAlpn(useAlpn);
        return this;
      }

      @Override
      public SslContextFactory forServer(ClientAuth clientAuth) {
        delegate.forServer(clientAuth);
        return this;
      }

      @Override
      public SslContextFactory forClient(SNIServerName serverName, String endpointIdentificationAlgorithm) {
        delegate.forClient(serverName, endpointIdentificationAlgorithm);
        return this;
      }

      @Override
      public SslContextFactory enabledProtocols(Set<String> protocols) {
        delegate.enabledProtocols(protocols);
        return this;
      }

      @Override
      public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
        delegate.keyMananagerFactory(kmf);
        return this;
      }

      @Override
      public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
        delegate.trustManagerFactory(tmf);
        return this;
      }

      @Override
      public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
        delegate.enabledCipherSuites(cipherSuites);
        return this;
      }

      @Override
      public SslContextFactory applicationProtocols(List<String> protocols) {
        delegate.applicationProtocols(protocols);
        return this;
      }

      @Override
      public SslContext create() throws SSLException {
        SslContext context = delegate.create();
        if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
          sessions.setSessionCacheEnabled(false);
        }
        return context;
      }
    };
  }
}
