package io.tributary.gateway.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies a JWT: its signature, with only the algorithms its keys are for (an HMAC secret takes
 * HS256/384/512, an RSA key RS and PS, an EC key ES on its curve, an Ed25519 key EdDSA), so that
 * {@code alg: none} and an HMAC token "signed" with a public key are refused; then its time ({@code
 * exp}, {@code nbf}, with the leeway) and the rules ({@code iss}, {@code aud}, required claims).
 * All of the JOSE work is Nimbus JOSE+JWT's; each rule is one of its verifiers, so that a refusal
 * names its rule.
 *
 * <p>Thread-safe: the processor and the verifiers keep no state between tokens.
 */
public final class JwtVerifier {

  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWTProcessor<SecurityContext> signatureAndTime;
  private final List<Rule> rules;

  /** Allowed after {@code exp}: a session's token expires this much after its claim says. */
  private final java.time.Duration leeway;

  private record Rule(JwtVerdict.Reason reason, JWTClaimsSetVerifier<SecurityContext> verifier) {}

  private JwtVerifier(
      Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys, JwtRules rules) {
    this.algorithms = Set.copyOf(algorithms);
    int leeway = (int) rules.leeway().toSeconds();
    this.leeway = rules.leeway();
    this.signatureAndTime = new DefaultJWTProcessor<>();
    signatureAndTime.setJWSKeySelector(EdDsaKeys.selector(algorithms, keys));
    signatureAndTime.setJWSVerifierFactory(EdDsaKeys.verifiers());
    signatureAndTime.setJWTClaimsSetVerifier(timeOnly(leeway));
    this.rules = rulesOf(rules, leeway);
  }

  /** One Nimbus verifier per rule, in the order a refusal is reported. */
  private static List<Rule> rulesOf(JwtRules rules, int leeway) {
    List<Rule> checks = new ArrayList<>();
    rules
        .issuer()
        .map(issuer -> new JWTClaimsSet.Builder().issuer(issuer).build())
        .ifPresent(
            issuer ->
                checks.add(
                    rule(
                        JwtVerdict.Reason.WRONG_ISSUER,
                        new DefaultJWTClaimsVerifier<>(null, issuer, Set.of()),
                        leeway)));
    if (!rules.audiences().isEmpty()) {
      checks.add(
          rule(
              JwtVerdict.Reason.WRONG_AUDIENCE,
              new DefaultJWTClaimsVerifier<>(rules.audiences(), null, Set.of(), Set.of()),
              leeway));
    }
    if (!rules.requiredClaims().isEmpty()) {
      checks.add(
          rule(
              JwtVerdict.Reason.MISSING_CLAIM,
              new DefaultJWTClaimsVerifier<>(null, null, rules.requiredClaims(), Set.of()),
              leeway));
    }
    return List.copyOf(checks);
  }

  private static Rule rule(
      JwtVerdict.Reason reason, DefaultJWTClaimsVerifier<SecurityContext> verifier, int leeway) {
    return new Rule(reason, leeway(verifier, leeway));
  }

  /** Tokens signed with an HMAC secret (HS256, HS384, HS512, as long as the secret allows). */
  public static JwtVerifier hmac(byte[] secret, JwtRules rules) {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (JWSAlgorithm algorithm : JWSAlgorithm.Family.HMAC_SHA) {
      if (secret.length * 8 >= minimumBits(algorithm)) {
        algorithms.add(algorithm);
      }
    }
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("an HMAC secret must be at least 32 bytes");
    }
    return new JwtVerifier(algorithms, new ImmutableSecret<>(secret), rules);
  }

  /**
   * Tokens signed with the private keys of these public keys (RSA or EC), as PEM: {@code PUBLIC
   * KEY} blocks or {@code CERTIFICATE}s, any number of them.
   */
  public static JwtVerifier publicKeys(String pem, JwtRules rules) {
    List<JWK> keys = PemKeys.parse(pem);
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (JWK key : keys) {
      algorithms.addAll(algorithmsFor(key));
    }
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("no RSA or EC public key in the PEM text");
    }
    return new JwtVerifier(algorithms, new ImmutableJWKSet<>(new JWKSet(keys)), rules);
  }

  /**
   * Tokens signed with the keys a JWKS URL publishes (RSA and EC; HMAC keys there are never used).
   * The set is cached for {@code cacheFor}; a token with a key id the cache does not have fetches
   * it again, at most once per {@code refreshAtMost}; while the URL cannot be reached, the keys
   * last fetched are used for up to {@code outageTolerance}. Nimbus's {@code JWKSourceBuilder} does
   * all of that.
   */
  public static JwtVerifier jwks(URL url, JwksCaching caching, JwtRules rules) {
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.<SecurityContext>create(
                url, new DefaultResourceRetriever(2_000, 2_000, 512 * 1024))
            .cache(caching.cacheFor().toMillis(), caching.fetchTimeout().toMillis())
            .refreshAheadCache(false)
            .rateLimited(caching.refreshAtMost().toMillis())
            .outageTolerant(caching.outageTolerance().toMillis())
            .build();
    Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
    algorithms.addAll(JWSAlgorithm.Family.EC);
    algorithms.addAll(JWSAlgorithm.Family.ED);
    return new JwtVerifier(algorithms, keys, rules);
  }

  /** The token's claims, or why it is refused. */
  public JwtVerdict verify(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      return new JwtVerdict.Refused(JwtVerdict.Reason.MALFORMED, "the token is not a JWT");
    }
    if (jwt instanceof PlainJWT) {
      return new JwtVerdict.Refused(JwtVerdict.Reason.UNSIGNED, "an unsigned token (alg: none)");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      return new JwtVerdict.Refused(
          JwtVerdict.Reason.MALFORMED, "an encrypted token is not accepted");
    }
    JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
    if (!algorithms.contains(algorithm)) {
      return new JwtVerdict.Refused(
          JwtVerdict.Reason.WRONG_ALGORITHM,
          "a token signed with " + algorithm + ", which the configured keys are not for");
    }
    JWTClaimsSet claims;
    try {
      claims = signatureAndTime.process(signed, null);
    } catch (ExpiredJWTException e) {
      return new JwtVerdict.Refused(JwtVerdict.Reason.EXPIRED, "the token has expired");
    } catch (BadJWTException e) {
      return new JwtVerdict.Refused(JwtVerdict.Reason.NOT_YET_VALID, "the token is not valid yet");
    } catch (RateLimitReachedException e) {
      // The set was fetched moments ago, and the key id was not in it.
      return new JwtVerdict.Refused(
          JwtVerdict.Reason.UNKNOWN_KEY,
          "no key with the token's key id " + signed.getHeader().getKeyID());
    } catch (KeySourceException e) {
      return new JwtVerdict.Refused(
          JwtVerdict.Reason.KEYS_UNAVAILABLE,
          "the token's key is not among those known, and the key set cannot be fetched now");
    } catch (BadJOSEException e) {
      return signed.getHeader().getKeyID() != null && e.getMessage().contains("no matching key")
          ? new JwtVerdict.Refused(
              JwtVerdict.Reason.UNKNOWN_KEY,
              "no key with the token's key id " + signed.getHeader().getKeyID())
          : new JwtVerdict.Refused(
              JwtVerdict.Reason.BAD_SIGNATURE, "the token's signature does not verify");
    } catch (JOSEException e) {
      return new JwtVerdict.Refused(
          JwtVerdict.Reason.BAD_SIGNATURE, "the token's signature does not verify");
    }
    for (Rule rule : rules) {
      try {
        rule.verifier().verify(claims, null);
      } catch (BadJWTException e) {
        return new JwtVerdict.Refused(rule.reason(), e.getMessage());
      }
    }
    Date expiry = claims.getExpirationTime();
    return new JwtVerdict.Accepted(
        claims.getClaims(), expiry == null ? null : Date.from(expiry.toInstant().plus(leeway)));
  }

  /** Nimbus's verifier with no rule of its own checks the time only: exp and nbf. */
  private static DefaultJWTClaimsVerifier<SecurityContext> timeOnly(int leeway) {
    return leeway(new DefaultJWTClaimsVerifier<>(null, null, Set.of(), Set.of()), leeway);
  }

  private static DefaultJWTClaimsVerifier<SecurityContext> leeway(
      DefaultJWTClaimsVerifier<SecurityContext> verifier, int seconds) {
    verifier.setMaxClockSkew(seconds);
    return verifier;
  }

  /**
   * What a public key verifies: RSA keys RS and PS, EC keys the ES algorithm of their curve,
   * Ed25519 keys EdDSA (and its newer name Ed25519).
   */
  private static Set<JWSAlgorithm> algorithmsFor(JWK key) {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    if (key instanceof RSAKey) {
      algorithms.addAll(JWSAlgorithm.Family.RSA);
    } else if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
      algorithms.addAll(JWSAlgorithm.Family.ED);
    } else if (key instanceof ECKey ec) {
      for (JWSAlgorithm algorithm : JWSAlgorithm.Family.EC) {
        if (Curve.forJWSAlgorithm(algorithm).contains(ec.getCurve())) {
          algorithms.add(algorithm);
        }
      }
    }
    return algorithms;
  }

  private static int minimumBits(JWSAlgorithm algorithm) {
    return Integer.parseInt(algorithm.getName().substring(2)); // HS256 needs 256 bits, and so on.
  }
}
