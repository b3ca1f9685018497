package io.tributary.server;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tries one TLS handshake with one protocol version and prints what was negotiated, or the failure;
 * exits 0 on a handshake. Run in a JVM of its own by {@link TlsTest}, with the JDK's own refusal of
 * old versions lifted, so that only the server can refuse them.
 *
 * <pre>TlsProbe port protocol [cipherSuite]</pre>
 */
public final class TlsProbe {

  private TlsProbe() {}

  public static void main(String[] args) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
    try (Socket plain = new Socket("127.0.0.1", Integer.parseInt(args[0]));
        SSLSocket socket =
            (SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(plain, "127.0.0.1", plain.getPort(), true)) {
      socket.setEnabledProtocols(new String[] {args[1]});
      if (args.length > 2) {
        socket.setEnabledCipherSuites(new String[] {args[2]});
      }
      socket.startHandshake();
      System.out.println(
          "handshake "
              + socket.getSession().getProtocol()
              + " "
              + socket.getSession().getCipherSuite());
    } catch (java.io.IOException refused) {
      System.out.println("refused: " + refused);
      System.exit(1);
    }
  }

  /** The probe asks about protocol versions, not about the certificate. */
  private static final class TrustingEveryone implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
