package io.tributary.gateway.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
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

  private static JWK jwk(byte[] der) throws GeneralSecurityException {
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
    throw new GeneralSecurityException("neither an RSA nor an EC public key");
  }
}
