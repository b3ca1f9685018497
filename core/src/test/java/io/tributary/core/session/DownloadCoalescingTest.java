package io.tributary.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.protocol.DownloadHeader;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.session.ServerHarness.Item;
import io.tributary.core.session.SessionEffect.SendDownload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadCoalescingTest {

  private static final long SESSION = 1;
  private static final long OTHER = 5;

  @Test
  void downloadsThatFollowEachOtherBecomeOneWithTheLaterHeader() {
    SendDownload first = live(SESSION, 3, 0, item(3));
    SendDownload second = live(SESSION, 4, 0, item(4));
    assertThat(DownloadCoalescing.coalesce(List.of(first, second)))
        .containsExactly(new SendDownload(second.header(), List.of(item(3), item(4))));
  }

  @Test
  void aDownloadCutAfterTheClientsOwnChangesetStaysWhole() {
    // Version 5 is the client's own: the DOWNLOAD ends there, beyond its last changeset.
    SendDownload cut = new SendDownload(header(SESSION, 5, 2), List.of(item(4)));
    SendDownload next = live(SESSION, 6, 2, item(6));
    assertThat(DownloadCoalescing.coalesce(List.of(cut, next))).containsExactly(cut, next);
  }

  @Test
  void anAcknowledgementBetweenTwoDownloadsKeepsThemApart() {
    SendDownload before = live(SESSION, 4, 1, item(4));
    SendDownload acknowledgement = new SendDownload(header(SESSION, 5, 2), List.of());
    SendDownload after = live(SESSION, 6, 2, item(6));
    List<SessionEffect> effects = List.of(before, acknowledgement, after);
    assertThat(DownloadCoalescing.coalesce(effects)).isEqualTo(effects);
  }

  @Test
  void anotherUploadProgressOrAnotherSessionOrAnotherMessageKeepsThemApart() {
    SendDownload first = live(SESSION, 3, 0, item(3));
    List<SessionEffect> progressed = List.of(first, live(SESSION, 4, 1, item(4)));
    assertThat(DownloadCoalescing.coalesce(progressed)).isEqualTo(progressed);
    List<SessionEffect> sessions = List.of(first, live(2, 4, 0, item(4)));
    assertThat(DownloadCoalescing.coalesce(sessions)).isEqualTo(sessions);
    List<SessionEffect> between =
        List.of(
            first,
            new SessionEffect.Send(new ServerMessage.Mark(SESSION, 9)),
            live(SESSION, 4, 0, item(4)));
    assertThat(DownloadCoalescing.coalesce(between)).isEqualTo(between);
  }

  @Test
  void aJoinedDownloadHoldsAtMostItsShareOfChangesets() {
    List<SessionEffect> effects = new ArrayList<>();
    int count = DownloadCoalescing.MAX_CHANGESETS + 10;
    for (long version = 1; version <= count; version++) {
      effects.add(live(SESSION, version, 0, item(version)));
    }
    List<SessionEffect> joined = DownloadCoalescing.coalesce(effects);
    assertThat(joined).hasSize(2);
    assertThat(((SendDownload) joined.get(0)).changesets())
        .hasSize(DownloadCoalescing.MAX_CHANGESETS);
    assertThat(((SendDownload) joined.get(1)).changesets()).hasSize(10);
  }

  private static SendDownload live(long session, long version, long progress, Item item) {
    return new SendDownload(header(session, version, progress), List.of(item));
  }

  private static DownloadHeader header(long session, long version, long progress) {
    return new DownloadHeader(session, version, 1000 + version, progress, 100, 0);
  }

  private static Item item(long version) {
    return Item.of(version, OTHER, version);
  }
}
