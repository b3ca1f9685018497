package io.tributary.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.transform.Transformer;
import java.util.List;

/** The transform's law: A then B′ gives the same state as B then A′. */
public final class Convergence {

  private Convergence() {}

  /** Applies both orders to copies of {@code base}, requires equal states, returns one of them. */
  public static InMemoryObjectStore bothOrders(InMemoryObjectStore base, Changeset a, Changeset b) {
    InMemoryObjectStore aFirst = base.copy();
    ChangesetApplier.apply(a, aFirst);
    ChangesetApplier.apply(Transformer.transform(b, List.of(a)), aFirst);
    InMemoryObjectStore bFirst = base.copy();
    ChangesetApplier.apply(b, bFirst);
    ChangesetApplier.apply(Transformer.transform(a, List.of(b)), bFirst);
    assertThat(aFirst.snapshot()).isEqualTo(bFirst.snapshot());
    return aFirst;
  }
}
