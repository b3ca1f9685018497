package io.tributary.gateway.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.gateway.jwt.JwtVerdict.Reason;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong is refused with its own reason; a right one is accepted. */
class JwtVerifierTest {

  private static final byte[] SECRET =
      "a secret of at least thirty-two bytes, for HS256".getBytes(StandardCharsets.UTF_8);
  private static final RSAKey RSA = generate(() -> new RSAKeyGenerator(2048).generate());
  private static final ECKey EC = generate(() -> new ECKeyGenerator(Curve.P_256).generate());

  private final JwtRules rules =
      new JwtRules(
          Optional.of("https://id.example"),
          Set.of("tributary"),
          Set.of("sub"),
          Duration.ofSeconds(30));

  private JWTClaimsSet.Builder good() {
    return new JWTClaimsSet.Builder()
        .issuer("https://id.example")
        .audience("tributary")
        .subject("ada")
        .expirationTime(Date.from(Instant.now().plusSeconds(300)));
  }

  @Test
  void anHmacTokenThatKeepsEveryRuleIsAcceptedWithItsClaims() throws Exception {
    JwtVerdict verdict =
        JwtVerifier.hmac(SECRET, rules)
            .verify(sign(new MACSigner(SECRET), JWSAlgorithm.HS256, good()));
    assertThat(verdict).isInstanceOf(JwtVerdict.Accepted.class);
    assertThat(((JwtVerdict.Accepted) verdict).claims()).containsEntry("sub", "ada");
    assertThat(((JwtVerdict.Accepted) verdict).expiry()).isAfter(new Date());
  }

  @Test
  void rsaAndEcTokensAreVerifiedWithPemPublicKeys() throws Exception {
    JwtVerifier verifier =
        JwtVerifier.publicKeys(pem(RSA.toPublicKey()) + pem(EC.toPublicKey()), rules);
    assertThat(verifier.verify(sign(new RSASSASigner(RSA), JWSAlgorithm.RS256, good())))
        .isInstanceOf(JwtVerdict.Accepted.class);
    assertThat(verifier.verify(sign(new RSASSASigner(RSA), JWSAlgorithm.PS384, good())))
        .isInstanceOf(JwtVerdict.Accepted.class);
    assertThat(verifier.verify(sign(new ECDSASigner(EC), JWSAlgorithm.ES256, good())))
        .isInstanceOf(JwtVerdict.Accepted.class);
  }

  @Test
  void ed25519TokensAreVerifiedWithAPemPublicKey() throws Exception {
    OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    // The same key as the JDK writes it: a PEM whose key bytes are Nimbus's x.
    PublicKey jdkForm =
        java.security.KeyFactory.getInstance("Ed25519")
            .generatePublic(new java.security.spec.X509EncodedKeySpec(ed25519Der(ed)));
    JwtVerifier verifier = JwtVerifier.publicKeys(pem(jdkForm), rules);
    OctetKeyPair parsed = (OctetKeyPair) PemKeys.parse(pem(jdkForm)).get(0);
    assertThat(parsed.getX()).isEqualTo(ed.getX());

    assertThat(verifier.verify(sign(new Ed25519Signer(ed), JWSAlgorithm.EdDSA, good())))
        .isInstanceOf(JwtVerdict.Accepted.class);
    OctetKeyPair stranger = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    assertThat(refusal(verifier, sign(new Ed25519Signer(stranger), JWSAlgorithm.EdDSA, good())))
        .isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(refusal(verifier, hs256(good()))).isEqualTo(Reason.WRONG_ALGORITHM);
  }

  private static byte[] ed25519Der(OctetKeyPair key) {
    byte[] x = key.getX().decode();
    byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    byte[] der = java.util.Arrays.copyOf(prefix, prefix.length + x.length);
    System.arraycopy(x, 0, der, prefix.length, x.length);
    return der;
  }

  @Test
  void eachWrongTokenIsRefusedForItsOwnReason() throws Exception {
    JwtVerifier hmac = JwtVerifier.hmac(SECRET, rules);
    Instant now = Instant.now();
    assertThat(refusal(hmac, "garbage")).isEqualTo(Reason.MALFORMED);
    assertThat(refusal(hmac, new PlainJWT(good().build()).serialize())).isEqualTo(Reason.UNSIGNED);
    JWSSigner otherSecret = new MACSigner(("another " + new String(SECRET)).getBytes());
    assertThat(refusal(hmac, sign(otherSecret, JWSAlgorithm.HS256, good())))
        .isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(refusal(hmac, hs256(good().expirationTime(Date.from(now.minusSeconds(31))))))
        .isEqualTo(Reason.EXPIRED);
    assertThat(refusal(hmac, hs256(good().expirationTime(Date.from(now.minusSeconds(20))))))
        .as("within the leeway")
        .isNull();
    assertThat(refusal(hmac, hs256(good().notBeforeTime(Date.from(now.plusSeconds(60))))))
        .isEqualTo(Reason.NOT_YET_VALID);
    assertThat(refusal(hmac, hs256(good().issuer("https://evil.example"))))
        .isEqualTo(Reason.WRONG_ISSUER);
    assertThat(refusal(hmac, hs256(good().audience("someone-else"))))
        .isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(refusal(hmac, hs256(good().subject(null)))).isEqualTo(Reason.MISSING_CLAIM);
    assertThat(refusal(hmac, sign(new RSASSASigner(RSA), JWSAlgorithm.RS256, good())))
        .as("an RSA token where only a secret is configured")
        .isEqualTo(Reason.WRONG_ALGORITHM);
  }

  @Test
  void anHmacTokenSignedWithThePublicKeyIsRefused() throws Exception {
    String publicPem = pem(RSA.toPublicKey());
    JwtVerifier verifier = JwtVerifier.publicKeys(publicPem, rules);
    String confused =
        sign(new MACSigner(publicPem.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, good());
    assertThat(refusal(verifier, confused)).isEqualTo(Reason.WRONG_ALGORITHM);
  }

  @Test
  void aKeyIdNoConfiguredKeyHasIsRefusedAsUnknown() throws Exception {
    JwtVerifier verifier = JwtVerifier.publicKeys(pem(RSA.toPublicKey()), rules);
    SignedJWT withKid =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rotated-away").build(),
            good().build());
    withKid.sign(new RSASSASigner(RSA));
    assertThat(refusal(verifier, withKid.serialize())).isEqualTo(Reason.UNKNOWN_KEY);
    RSAKey other = new RSAKeyGenerator(2048).generate();
    assertThat(refusal(verifier, sign(new RSASSASigner(other), JWSAlgorithm.RS256, good())))
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void keysThatCannotVerifyAreRefusedAtConfiguration() {
    assertThatThrownBy(() -> JwtVerifier.hmac(new byte[16], JwtRules.NONE))
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> JwtVerifier.publicKeys("not a key", JwtRules.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Reason refusal(JwtVerifier verifier, String token) {
    JwtVerdict verdict = verifier.verify(token);
    return verdict instanceof JwtVerdict.Refused refused ? refused.reason() : null;
  }

  private static String hs256(JWTClaimsSet.Builder claims) throws Exception {
    return sign(new MACSigner(SECRET), JWSAlgorithm.HS256, claims);
  }

  private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet.Builder claims)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims.build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private interface Generator<T> {
    T generate() throws Exception;
  }

  private static <T> T generate(Generator<T> generator) {
    try {
      return generator.generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
