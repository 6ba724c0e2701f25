package dev.keepalive.common.tls;

import io.netty.handler.codec.quic.QuicSslEngine;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client's trust manager that notes which engines verified the server's certificate chain: only a full
 * handshake does; a resumed one trusts the session it resumes. {@code delegate == null} trusts every chain
 * (--tls-trust-all, for the lab only).
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NONE = new X509Certificate[0];
  private final X509ExtendedTrustManager delegate;
  private final FullHandshakes full;

  public RecordingTrustManager(X509ExtendedTrustManager delegate, FullHandshakes full) {
    this.delegate = delegate;
    this.full = full;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    if (delegate != null) {
      delegate.checkServerTrusted(chain, authType, engine);
    }
    if (engine instanceof QuicSslEngine) {
      full.recordQuic();
    } else {
      full.record(engine);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    if (delegate != null) {
      delegate.checkServerTrusted(chain, authType, socket);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (delegate != null) {
      delegate.checkServerTrusted(chain, authType);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("this trust manager verifies servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("this trust manager verifies servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager verifies servers only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate == null ? NONE : delegate.getAcceptedIssuers();
  }
}
