package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  @Test
  void offeredSubprotocolsAreTheCommaSeparatedValues() {
    assertThat(Handshake.offered(" tributary-sync#1 ,tributary-token.x,, "))
        .containsExactly("tributary-sync#1", "tributary-token.x");
    assertThat(Handshake.offered(null)).isEmpty();
  }

  @Test
  void theHighestVersionBothSpeakIsChosen() {
    assertThat(Handshake.chooseVersion(List.of("tributary-sync#3", "tributary-sync#1")))
        .contains(1);
    assertThat(Handshake.chooseVersion(List.of("tributary-sync#3"))).isEmpty();
    assertThat(Handshake.chooseVersion(List.of())).isEmpty();
  }

  @Test
  void theTokenComesFromTheHeaderElseFromASubprotocol() {
    List<String> offered = List.of("tributary-sync#1", "tributary-token.from-protocol");

    assertThat(Handshake.token("Bearer from-header", offered)).contains("from-header");
    assertThat(Handshake.token(null, offered)).contains("from-protocol");
    assertThat(Handshake.token("Basic abc", List.of("tributary-sync#1"))).isEmpty();
    assertThat(Handshake.token(null, List.of("tributary-token.bad/char"))).isEmpty();
  }
}
