package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.core.protocol.ClientMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KnownTokensTest {

  private final List<String> checked = new ArrayList<>();
  private final Identity ada = Identity.jwt(Map.of("sub", "ada"), Optional.empty());
  private final KnownTokens tokens =
      new KnownTokens(
          new Connection.Handshake(ada, "handshake-token", "127.0.0.1"),
          token -> {
            checked.add(token);
            return new TokenVerdict.Refused(ErrorCode.AUTHENTICATION_FAILED, "bad_signature", "no");
          });

  @Test
  void theHandshakesTokenIsNotCheckedAgain() {
    assertThat(tokens.check("handshake-token")).isEqualTo(new TokenVerdict.Accepted(ada));
    assertThat(tokens.unknownTokenOf(new ClientMessage.Bind(1, "d", "handshake-token", true)))
        .isNull();
    assertThat(checked).isEmpty();
  }

  @Test
  void aNewTokenInABindOrARefreshIsUnknownUntilLearned() {
    assertThat(tokens.unknownTokenOf(new ClientMessage.Bind(1, "d", "other", true)))
        .isEqualTo("other");
    assertThat(tokens.unknownTokenOf(new ClientMessage.Refresh(1, "other"))).isEqualTo("other");
    assertThat(tokens.unknownTokenOf(new ClientMessage.Bind(1, "d", null, true))).isNull();
    assertThat(tokens.unknownTokenOf(new ClientMessage.Mark(1, 2))).isNull();

    TokenVerdict verdict = new TokenVerdict.Accepted(Identity.SHARED_SECRET);
    tokens.learn("other", verdict);

    assertThat(tokens.unknownTokenOf(new ClientMessage.Refresh(1, "other"))).isNull();
    assertThat(tokens.check("other")).isSameAs(verdict);
    assertThat(checked).isEmpty();
  }

  @Test
  void aTokenWhoseCheckFailedIsCheckedWhereItIsAskedFor() {
    tokens.learn("flaky", null);

    assertThat(tokens.unknownTokenOf(new ClientMessage.Refresh(1, "flaky"))).isEqualTo("flaky");
    assertThat(tokens.check("flaky")).isInstanceOf(TokenVerdict.Refused.class);
    assertThat(checked).containsExactly("flaky");
  }
}
