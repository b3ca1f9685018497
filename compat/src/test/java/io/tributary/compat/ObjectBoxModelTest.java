package io.tributary.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.model.Entity;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelParser;
import io.tributary.core.model.Property;
import io.tributary.core.model.PropertyType;
import io.tributary.core.model.SchemaChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files as ObjectBox's own annotation processor writes them: the one it wrote while this
 * module's test entities compiled, and the ones it writes when those entities change.
 */
class ObjectBoxModelTest {

  private static final Path ENTITIES = Path.of("src/test/java/io/tributary/compat/entities");

  @TempDir Path dir;

  @Test
  void readsEveryTypeFlagIndexAndRelationTheProcessorWrites() throws IOException {
    Model model = parse(Path.of(System.getProperty("objectbox.model")));

    Entity note = model.entity("Note").orElseThrow();
    assertThat(note.syncEnabled()).isTrue();
    Map<String, PropertyType> types =
        note.properties().stream().collect(Collectors.toMap(Property::name, Property::type));
    assertThat(types)
        .containsEntry("pinned", PropertyType.BOOL)
        .containsEntry("level", PropertyType.BYTE)
        .containsEntry("rank", PropertyType.SHORT)
        .containsEntry("initial", PropertyType.CHAR)
        .containsEntry("views", PropertyType.INT)
        .containsEntry("created", PropertyType.LONG)
        .containsEntry("score", PropertyType.FLOAT)
        .containsEntry("weight", PropertyType.DOUBLE)
        .containsEntry("title", PropertyType.STRING)
        .containsEntry("updated", PropertyType.DATE)
        .containsEntry("folderId", PropertyType.RELATION)
        .containsEntry("precise", PropertyType.DATE_NANO)
        .containsEntry("extras", PropertyType.FLEX)
        .containsEntry("flags", PropertyType.BOOL_VECTOR)
        .containsEntry("blob", PropertyType.BYTE_VECTOR)
        .containsEntry("shorts", PropertyType.SHORT_VECTOR)
        .containsEntry("chars", PropertyType.CHAR_VECTOR)
        .containsEntry("ints", PropertyType.INT_VECTOR)
        .containsEntry("longs", PropertyType.LONG_VECTOR)
        .containsEntry("floats", PropertyType.FLOAT_VECTOR)
        .containsEntry("doubles", PropertyType.DOUBLE_VECTOR)
        .containsEntry("words", PropertyType.STRING_VECTOR)
        .containsEntry("labels", PropertyType.STRING_VECTOR);
    assertThat(note.property("views").orElseThrow().hasFlag(8192)).as("UNSIGNED").isTrue();
    assertThat(note.property("created").orElseThrow().indexId().uid()).isNotZero();
    Property folder = note.property("folderId").orElseThrow();
    assertThat(folder.relationTarget()).isEqualTo("Folder");
    assertThat(note.relations())
        .singleElement()
        .satisfies(
            tags -> assertThat(tags.targetId()).isEqualTo(model.entity("Tag").orElseThrow().id()));
  }

  @Test
  void aPropertyTheProcessorRetiresIsACompatibleRemovalAndItsUidCannotComeBack() throws Exception {
    Path modelFile =
        Files.copy(Path.of(System.getProperty("objectbox.model")), dir.resolve("m.json"));
    Model before = parse(modelFile);
    long weightUid =
        before.entity("Note").orElseThrow().property("weight").orElseThrow().id().uid();

    runProcessor(modelFile, source("Note").replace("  public double weight;\n", ""));
    Model after = parse(modelFile);

    assertThat(after.retired().properties()).contains(weightUid);
    SchemaChange change = SchemaChange.between(before, after);
    assertThat(change.isCompatible()).isTrue();
    assertThat(change.compatible()).contains("property Note.weight removed");
  }

  @Test
  void aRenameWithTheSameUidIsCompatibleAndKeepsTheUid() throws Exception {
    Path modelFile =
        Files.copy(Path.of(System.getProperty("objectbox.model")), dir.resolve("m.json"));
    Model before = parse(modelFile);
    long scoreUid = before.entity("Note").orElseThrow().property("score").orElseThrow().id().uid();

    // ObjectBox's way to rename: the new name, with @Uid naming the old property's uid.
    runProcessor(
        modelFile,
        source("Note")
            .replace(
                "  public float score;",
                "  @io.objectbox.annotation.Uid(" + scoreUid + "L)\n  public float rating;"));
    Model after = parse(modelFile);

    assertThat(after.entity("Note").orElseThrow().property("rating").orElseThrow().id().uid())
        .isEqualTo(scoreUid);
    assertThat(SchemaChange.between(before, after).compatible())
        .containsExactly("property Note.score renamed to rating");
  }

  /**
   * Runs ObjectBox's processor (only the processor) on the entities, updating {@code modelFile}.
   */
  private void runProcessor(Path modelFile, String noteSource) throws IOException {
    Path sources = Files.createDirectories(dir.resolve("src/io/tributary/compat/entities"));
    Files.writeString(sources.resolve("Note.java"), noteSource);
    Files.writeString(sources.resolve("Folder.java"), source("Folder"));
    Files.writeString(sources.resolve("Tag.java"), source("Tag"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-proc:only",
                "-classpath",
                System.getProperty("java.class.path"),
                "-s",
                Files.createDirectories(dir.resolve("generated")).toString(),
                "-d",
                Files.createDirectories(dir.resolve("classes")).toString(),
                "-Aobjectbox.modelPath=" + modelFile));
    try (var files = Files.list(sources)) {
      files.map(Path::toString).forEach(arguments::add);
    }
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int exit = compiler.run(null, null, errors, arguments.toArray(String[]::new));
    assertThat(exit).as(errors.toString()).isZero();
  }

  private static String source(String entity) throws IOException {
    return Files.readString(ENTITIES.resolve(entity + ".java"));
  }

  private static Model parse(Path file) throws IOException {
    return ModelParser.parse(Files.readString(file), file.toString());
  }
}
