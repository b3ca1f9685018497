package io.tributary.gateway.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Set;

/**
 * EdDSA (Ed25519) in Nimbus's JWT processor. The processor works with JDK keys, which Nimbus cannot
 * make of an Ed25519 JWK: so Ed25519 JWKs travel through it wrapped ({@link Ed25519Key}), and the
 * verifier factory unwraps them for Nimbus's {@link Ed25519Verifier} (which uses Tink). Every other
 * algorithm goes to Nimbus's own selector and factory.
 */
final class EdDsaKeys {

  private EdDsaKeys() {}

  /** An Ed25519 public JWK, carried as a JDK key through the processor. */
  record Ed25519Key(OctetKeyPair jwk) implements PublicKey {
    @Override
    public String getAlgorithm() {
      return "Ed25519";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }

  /** Selects the keys for a token: Ed25519 JWKs wrapped, the others as Nimbus does. */
  static JWSKeySelector<SecurityContext> selector(
      Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
    JWSVerificationKeySelector<SecurityContext> others =
        new JWSVerificationKeySelector<>(algorithms, keys);
    return (header, context) -> {
      if (!JWSAlgorithm.Family.ED.contains(header.getAlgorithm())
          || !algorithms.contains(header.getAlgorithm())) {
        return others.selectJWSKeys(header, context);
      }
      return keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context).stream()
          .filter(OctetKeyPair.class::isInstance)
          .map(OctetKeyPair.class::cast)
          .filter(key -> Curve.Ed25519.equals(key.getCurve()) && !key.isPrivate())
          .map(Ed25519Key::new)
          .toList();
    };
  }

  /** Makes the verifier for a selected key: Ed25519 for a wrapped one, else Nimbus's default. */
  static JWSVerifierFactory verifiers() {
    DefaultJWSVerifierFactory defaults = new DefaultJWSVerifierFactory();
    Set<JWSAlgorithm> supported = new HashSet<>(defaults.supportedJWSAlgorithms());
    supported.addAll(Ed25519Verifier.SUPPORTED_ALGORITHMS);
    return new JWSVerifierFactory() {
      @Override
      public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        return key instanceof Ed25519Key ed
            ? new Ed25519Verifier(ed.jwk())
            : defaults.createJWSVerifier(header, key);
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return supported;
      }

      @Override
      public JCAContext getJCAContext() {
        return defaults.getJCAContext();
      }
    };
  }
}
