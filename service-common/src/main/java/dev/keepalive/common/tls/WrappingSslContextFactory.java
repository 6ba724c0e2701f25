package dev.keepalive.common.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Vert.x's own factory of an engine's Netty {@link SslContext}, with one change applied to each context it makes:
 * the hook where this project adjusts what Vert.x's options do not reach (a session cache, per-connection settings).
 */
final class WrappingSslContextFactory implements SslContextFactory {
  private final SslContextFactory delegate;
  private final UnaryOperator<SslContext> change;

  WrappingSslContextFactory(SslContextFactory delegate, UnaryOperator<SslContext> change) {
    this.delegate = delegate;
    this.change = change;
  }

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
    return change.apply(delegate.create());
  }
}
