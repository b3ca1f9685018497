package io.tributary.benchmarks;

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
import com.nimbusds.jwt.SignedJWT;
import io.tributary.core.auth.Access;
import io.tributary.core.auth.AuthMethod;
import io.tributary.core.auth.DatasetRule;
import io.tributary.core.auth.DatasetTemplate;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.Permissions;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.gateway.Authenticator;
import io.tributary.gateway.jwt.JwtAuthenticator;
import io.tributary.gateway.jwt.JwtRules;
import io.tributary.gateway.jwt.JwtVerifier;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What checking a client's token at BIND costs the gateway: a shared secret (the baseline of the
 * same run), JWTs signed with HS256, RS256 (2048-bit) and ES256 (P-256), and the whole decision of
 * a BIND with an RS256 token: the check, then the permissions of its claims for a team's dataset.
 * Every token is accepted (asserted at setup): the success path is what a BIND pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenCheckBenchmark {

  private static final String ISSUER = "https://id.example";
  private static final String AUDIENCE = "tributary";
  private static final String DATASET = "team-blue";
  private static final String SHARED_SECRET = "a shared secret, as long as a real one: 32+ bytes";
  private static final byte[] HMAC_SECRET =
      "an HMAC secret of at least thirty-two bytes, for HS256".getBytes(StandardCharsets.UTF_8);

  private Authenticator sharedSecret;
  private Authenticator hs256;
  private Authenticator rs256;
  private Authenticator es256;
  private Authenticator ed25519;
  private Permissions permissions;

  private String sharedSecretToken;
  private String hs256Token;
  private String rs256Token;
  private String es256Token;
  private String ed25519Token;

  @Setup
  public void setUp() throws Exception {
    JwtRules rules =
        new JwtRules(Optional.of(ISSUER), Set.of(AUDIENCE), Set.of("sub"), Duration.ofSeconds(60));
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();

    sharedSecret = Authenticator.sharedSecret(SHARED_SECRET);
    hs256 = new JwtAuthenticator(JwtVerifier.hmac(HMAC_SECRET, rules));
    rs256 = new JwtAuthenticator(JwtVerifier.publicKeys(pem(rsa.toPublicKey()), rules));
    es256 = new JwtAuthenticator(JwtVerifier.publicKeys(pem(ec.toPublicKey()), rules));
    OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    ed25519 = new JwtAuthenticator(JwtVerifier.publicKeys(ed25519Pem(ed), rules));
    permissions =
        new Permissions(
            Map.of(
                AuthMethod.JWT,
                List.of(
                    new DatasetRule(
                        DatasetTemplate.parse("user-{sub}"), Access.READ_WRITE, Map.of()),
                    new DatasetRule(
                        DatasetTemplate.parse("team-{claims.teams[*]}"),
                        Access.READ_WRITE,
                        Map.of()))));

    sharedSecretToken = SHARED_SECRET;
    hs256Token = sign(new MACSigner(HMAC_SECRET), JWSAlgorithm.HS256);
    rs256Token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256);
    es256Token = sign(new ECDSASigner(ec), JWSAlgorithm.ES256);
    ed25519Token = sign(new Ed25519Signer(ed), JWSAlgorithm.EdDSA);

    accepted(sharedSecret, sharedSecretToken);
    accepted(hs256, hs256Token);
    accepted(es256, es256Token);
    accepted(ed25519, ed25519Token);
    Identity identity = accepted(rs256, rs256Token);
    if (permissions.accessTo(identity, DATASET) != Access.READ_WRITE) {
      throw new IllegalStateException("the RS256 token does not give " + DATASET + " read-write");
    }
  }

  @Benchmark
  public TokenVerdict sharedSecretBaseline() {
    return sharedSecret.check(sharedSecretToken);
  }

  @Benchmark
  public TokenVerdict hs256() {
    return hs256.check(hs256Token);
  }

  @Benchmark
  public TokenVerdict rs256() {
    return rs256.check(rs256Token);
  }

  @Benchmark
  public TokenVerdict es256() {
    return es256.check(es256Token);
  }

  @Benchmark
  public TokenVerdict ed25519() {
    return ed25519.check(ed25519Token);
  }

  /** The whole BIND decision: the RS256 token checked, then its access to a team's dataset. */
  @Benchmark
  public Access rs256AndPermissions() {
    TokenVerdict verdict = rs256.check(rs256Token);
    return permissions.accessTo(((TokenVerdict.Accepted) verdict).identity(), DATASET);
  }

  /** A token as an identity provider issues it: valid for a day, so for the whole run. */
  private static String sign(JWSSigner signer, JWSAlgorithm algorithm) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject("ada")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofDays(1))))
            .claim("teams", List.of("red", "blue"))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static Identity accepted(Authenticator authenticator, String token) {
    if (!(authenticator.check(token) instanceof TokenVerdict.Accepted accepted)) {
      throw new IllegalStateException("the benchmark's token is refused: " + token);
    }
    return accepted.identity();
  }

  private static String pem(PublicKey key) {
    return pem(key.getEncoded());
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** An Ed25519 public key as PEM: its DER prefix (RFC 8410), then the key's 32 bytes. */
  private static String ed25519Pem(OctetKeyPair key) {
    byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    byte[] x = key.getX().decode();
    byte[] der = java.util.Arrays.copyOf(prefix, prefix.length + x.length);
    System.arraycopy(x, 0, der, prefix.length, x.length);
    return pem(der);
  }
}
