package dev.keepalive.common.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server's key manager that notes which engines asked for the key: only a full handshake does (a resumed one
 * sends no certificate and signs nothing), with the JDK engine and with OpenSSL's certificate callback alike.
 */
public final class CountingKeyManager extends X509ExtendedKeyManager {
  private final X509ExtendedKeyManager delegate;
  private final FullHandshakes full;

  public CountingKeyManager(X509ExtendedKeyManager delegate, FullHandshakes full) {
    this.delegate = delegate;
    this.full = full;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    String alias = delegate.chooseEngineServerAlias(keyType, issuers, engine);
    if (alias != null) {
      full.record(engine);
    }
    return alias;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return delegate.getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate.getPrivateKey(alias);
  }
}
