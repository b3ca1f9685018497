package io.tributary.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The certificate chain and private key, in PEM files, that make the sync port speak TLS ({@code
 * wss://}). As with ObjectBox's {@code --cert}, a directory holds {@code cert.pem} and {@code
 * key.pem}.
 */
public record TlsFiles(Path certificate, Path privateKey) {

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
