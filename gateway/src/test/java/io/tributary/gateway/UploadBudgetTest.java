package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {

  private final UploadBudget budget = new UploadBudget(4);
  private final List<String> woken = new ArrayList<>();

  @Test
  void admitsWhileUnderTheLimitAndAlwaysAConnectionWithNothingInFlight() {
    budget.changed(3);
    assertThat(budget.admits(3)).isTrue();
    budget.changed(2);
    assertThat(budget.admits(1)).isFalse();
    assertThat(budget.admits(0)).as("a writer with nothing in flight is never starved").isTrue();
  }

  @Test
  void wakesAsManyWaitersAsThereIsRoomForInTheOrderTheyBeganToWait() {
    budget.changed(6);
    for (String name : List.of("a", "b", "c", "d")) {
      budget.await(() -> woken.add(name));
    }
    budget.changed(-1);
    assertThat(woken).as("still at the limit: no room").isEmpty();
    budget.changed(-3);
    assertThat(woken).containsExactly("a", "b");
    budget.changed(-1);
    assertThat(woken).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aPublishWakesNobodyAndALeaverIsNotWoken() {
    Runnable gone = () -> woken.add("gone");
    budget.changed(4);
    budget.await(gone);
    budget.await(() -> woken.add("stays"));
    budget.leave(gone);
    budget.changed(1);
    assertThat(woken).isEmpty();
    budget.changed(-5);
    assertThat(woken).containsExactly("stays");
  }

  @Test
  void aWaiterWokenWhoMustWaitAgainIsKept() {
    budget.changed(4);
    Runnable[] again = new Runnable[1];
    again[0] =
        () -> {
          woken.add("again");
          budget.changed(4); // Its UPLOAD came in, and filled the budget.
          budget.await(again[0]);
        };
    budget.await(again[0]);
    budget.changed(-4);
    budget.changed(-4);
    assertThat(woken).containsExactly("again", "again");
    assertThat(budget.inFlight()).isEqualTo(4);
  }

  @Test
  void aGatewayLimitIsSharedOverItsEventLoopsRoundingUp() {
    assertThat(UploadBudget.share(1024, 2).limit()).isEqualTo(512);
    assertThat(UploadBudget.share(5, 2).limit()).isEqualTo(3);
    assertThat(UploadBudget.share(1, 4).limit()).isEqualTo(1);
    assertThatThrownBy(() -> new UploadBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
