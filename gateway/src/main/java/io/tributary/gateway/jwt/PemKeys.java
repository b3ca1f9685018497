package io.tributary.gateway.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public keys from PEM text, as JWKs. The JDK decodes the keys and Nimbus reads certificates;
 * Nimbus's own PEM parser would need BouncyCastle for what the JDK already does.
 */
final class PemKeys {

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----", Pattern.MULTILINE);

  private PemKeys() {}

  static List<JWK> parse(String pem) {
    List<JWK> keys = new ArrayList<>();
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      String type = block.group(1);
      try {
        if (type.equals("PUBLIC KEY")) {
          keys.add(jwk(Base64.getMimeDecoder().decode(block.group(2))));
        } else if (type.equals("CERTIFICATE")) {
          keys.add(JWK.parseFromPEMEncodedX509Cert(block.group()));
        } else {
          throw new IllegalArgumentException(
              "a PEM block of type " + type + ": give PUBLIC KEY or CERTIFICATE blocks");
        }
      } catch (GeneralSecurityException | JOSEException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "a PEM " + type + " that is not a key: " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no PEM public key in the text");
    }
    return keys;
  }

  /** The DER prefix of an Ed25519 {@code SubjectPublicKeyInfo}; the 32 key bytes follow it. */
  private static final byte[] ED25519_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static JWK jwk(byte[] der) throws GeneralSecurityException {
    if (der.length == ED25519_PREFIX.length + 32
        && Arrays.equals(ED25519_PREFIX, Arrays.copyOf(der, ED25519_PREFIX.length))) {
      byte[] x = Arrays.copyOfRange(der, ED25519_PREFIX.length, der.length);
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build();
    }
    for (String algorithm : List.of("RSA", "EC")) {
      PublicKey key;
      try {
        key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (java.security.spec.InvalidKeySpecException notThisKind) {
        continue;
      }
      if (key instanceof RSAPublicKey rsa) {
        return new RSAKey.Builder(rsa).build();
      }
      ECPublicKey ec = (ECPublicKey) key;
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    }
    throw new GeneralSecurityException("neither an RSA, an EC nor an Ed25519 public key");
  }
}
