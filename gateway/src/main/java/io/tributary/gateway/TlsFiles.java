package io.tributary.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The certificate chain and private key, in PEM files, that make the sync port speak TLS ({@code
 * wss://}). As with ObjectBox's {@code --cert}, a directory holds {@code cert.pem} and {@code
 * key.pem}.
 */
public record TlsFiles(Path certificate, Path privateKey) {

  /** TLS 1.2 and 1.3 only: 1.0 and 1.1 are deprecated (RFC 8996). */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /**
   * Forward-secret AEAD suites only, in order of preference: TLS 1.3's three, then TLS 1.2's ECDHE
   * with AES-GCM or ChaCha20-Poly1305 (what Mozilla's "intermediate" configuration allows).
   */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** Makes {@code options} serve TLS with these files: TLS 1.2 and 1.3, the suites above. */
  public io.vertx.core.http.HttpServerOptions applyTo(
      io.vertx.core.http.HttpServerOptions options) {
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setSsl(true)
        .setKeyCertOptions(
            new io.vertx.core.net.PemKeyCertOptions()
                .setCertPath(certificate.toString())
                .setKeyPath(privateKey.toString()));
  }

  /**
   * The two files of {@code directory}, checked now, so that a wrong path stops the start with a
   * line naming the file rather than a TLS error later.
   */
  public static TlsFiles inDirectory(Path directory) {
    TlsFiles files = new TlsFiles(directory.resolve("cert.pem"), directory.resolve("key.pem"));
    requirePem(files.certificate(), "CERTIFICATE", "the certificate chain");
    requirePem(files.privateKey(), "PRIVATE KEY", "the private key");
    return files;
  }

  private static void requirePem(Path file, String label, String what) {
    String content;
    try {
      content = Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(
          "Certificate directory " + file.getParent() + " has no " + file.getFileName());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
    }
    // "BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY" and "BEGIN EC PRIVATE KEY" all end the same.
    if (!content.contains("-----BEGIN ") || !content.contains(label + "-----")) {
      throw new IllegalArgumentException(file + " is not " + what + " in PEM format");
    }
  }
}
