package io.tributary.compat.entities;

import io.objectbox.annotation.ConflictStrategy;
import io.objectbox.annotation.DatabaseType;
import io.objectbox.annotation.Entity;
import io.objectbox.annotation.Id;
import io.objectbox.annotation.Index;
import io.objectbox.annotation.Sync;
import io.objectbox.annotation.Type;
import io.objectbox.annotation.Unique;
import io.objectbox.annotation.Unsigned;
import io.objectbox.relation.ToMany;
import io.objectbox.relation.ToOne;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Every property type ObjectBox's Java binding has, on one synced entity. */
@Sync
@Entity
public class Note {
  @Id public long id;
  public boolean pinned;
  public byte level;
  public short rank;
  public char initial;
  @Unsigned public int views;
  @Index public long created;
  public float score;
  public double weight;

  @Unique(onConflict = ConflictStrategy.REPLACE)
  public String title;

  public Date updated;

  @Type(DatabaseType.DateNano)
  public long precise;

  public Map<String, Object> extras;
  public boolean[] flags;
  public byte[] blob;
  public short[] shorts;
  public char[] chars;
  public int[] ints;
  public long[] longs;
  public float[] floats;
  public double[] doubles;
  public String[] words;
  public List<String> labels;

  public ToOne<Folder> folder;
  public ToMany<Tag> tags;
}
