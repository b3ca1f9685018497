package io.tributary.compat.entities;

import io.objectbox.annotation.Entity;
import io.objectbox.annotation.Id;
import io.objectbox.annotation.Sync;

@Sync
@Entity
public class Tag {
  @Id public long id;
  public String name;
}
