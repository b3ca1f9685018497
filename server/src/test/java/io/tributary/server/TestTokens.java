package io.tributary.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.core.auth.Admission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An identity provider for tests: an RSA key pair whose public half a server's configuration
 * trusts, and tokens signed with it (or wrongly), as an app's login would issue them.
 */
final class TestTokens {

  static final String ISSUER = "https://id.example";
  static final String AUDIENCE = "tributary";
  static final String SHARED_SECRET = "the-operators-shared-secret";

  /** What the tests' server allows: each user their dataset, each team member the team's. */
  static final String PERMISSIONS =
      """
      "permissions": {"jwt": [
        {"dataset": "user-{sub}", "access": "read-write"},
        {"dataset": "team-{claims.teams[*]}", "access": "read-write"},
        {"dataset": "public", "access": "read"}
      ]}""";

  final RSAKey key = generate();
  final RSAKey stranger = generate();

  /**
   * A server admission from a real configuration file (in a directory of its own): shared secret
   * and JWT side by side.
   */
  Admission admission(Duration leeway) {
    return Startup.admission(
        Settings.resolve(new SettingOptions(), ConfigFile.read(configFile(leeway))));
  }

  /** The configuration file of {@link #admission}, with the public key file beside it. */
  Path configFile(Duration leeway) {
    try {
      Path directory = Files.createTempDirectory("tributary-auth-");
      Files.writeString(directory.resolve("keys.pem"), publicPem());
      Path config = directory.resolve("sync-server-config.json");
      Files.writeString(
          config,
          """
          {"auth": {
             "sharedSecret": "%s",
             "jwt": {"publicKeysFile": "keys.pem", "issuer": "%s", "audiences": ["%s"],
                     "requiredClaims": ["sub"], "leewaySeconds": %d}},
           %s}
          """
              .formatted(SHARED_SECRET, ISSUER, AUDIENCE, leeway.toSeconds(), PERMISSIONS));
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Claims of a good token of {@code subject}, in {@code teams}, valid for {@code lifetime}. */
  static JWTClaimsSet.Builder claims(String subject, List<String> teams, Duration lifetime) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .claim("teams", teams)
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plus(lifetime)));
  }

  String token(String subject, List<String> teams, Duration lifetime) {
    return sign(claims(subject, teams, lifetime));
  }

  String sign(JWTClaimsSet.Builder claims) {
    try {
      return sign(new RSASSASigner(key), JWSAlgorithm.RS256, claims, header -> header);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(
      JWSSigner signer,
      JWSAlgorithm algorithm,
      JWTClaimsSet.Builder claims,
      UnaryOperator<JWSHeader.Builder> header) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              header.apply(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT)).build(),
              claims.build());
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg: none}: claims without a signature. */
  static String unsigned(JWTClaimsSet.Builder claims) {
    return new PlainJWT(claims.build()).serialize();
  }

  /** The classic confusion: HS256 "signed" with the server's public key as the HMAC secret. */
  String hmacWithThePublicKey(JWTClaimsSet.Builder claims) {
    try {
      return sign(
          new MACSigner(publicPem().getBytes(StandardCharsets.UTF_8)),
          JWSAlgorithm.HS256,
          claims,
          header -> header);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String publicPem() {
    try {
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.toPublicKey().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
