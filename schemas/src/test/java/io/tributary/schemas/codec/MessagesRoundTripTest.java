package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.ClientVersion;
import io.tributary.schemas.ClientVersionRequest;
import io.tributary.schemas.Download;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.Error;
import io.tributary.schemas.Mark;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Pong;
import io.tributary.schemas.Refresh;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.ServerMessage;
import io.tributary.schemas.State;
import io.tributary.schemas.StateObject;
import io.tributary.schemas.StateRequest;
import io.tributary.schemas.StoredProperty;
import io.tributary.schemas.Transact;
import io.tributary.schemas.TransactResult;
import io.tributary.schemas.Unbind;
import io.tributary.schemas.Unbound;
import io.tributary.schemas.Upload;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every message of the protocol, with generated fields, survives encoding and decoding. */
@net.jqwik.api.lifecycle.AddLifecycleHook(io.tributary.core.testing.SeedFromSystemProperty.class)
class MessagesRoundTripTest {

  @Property(tries = 2_000)
  void everyClientMessageSurvivesAFrame(@ForAll("clientBodies") Object body) {
    ClientMessage message = new ClientMessage(body);

    assertThat(Frames.decodeClient(Frames.encode(message))).isEqualTo(message);
  }

  @Property(tries = 2_000)
  void everyServerMessageSurvivesAFrame(@ForAll("serverBodies") Object body) {
    ServerMessage message = new ServerMessage(body);

    assertThat(Frames.decodeServer(Frames.encode(message))).isEqualTo(message);
  }

  @Property(tries = 500)
  void everyChangesetSurvivesItsBody(@ForAll("changesets") Changeset changeset) {
    assertThat(Bodies.decode(Bodies.encode(changeset))).isEqualTo(changeset);
  }

  @Provide
  Arbitrary<Object> clientBodies() {
    Arbitrary<Long> session = Arbitraries.longs();
    Arbitrary<Long> number = Arbitraries.longs();
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
    return Arbitraries.oneOf(
        Combinators.combine(session, text, text.injectNull(0.3), Arbitraries.of(true, false))
            .as(Bind::new),
        Combinators.combine(session, number, number, number, number, number).as(ClientIdent::new),
        Combinators.combine(session, bodies()).as(Upload::new),
        session.map(Unbind::new),
        number.map(Ping::new),
        Combinators.combine(session, number).as(Mark::new),
        session.map(ClientVersionRequest::new),
        Combinators.combine(session, changesets().map(Bodies::encode)).as(Transact::new),
        Combinators.combine(session, number, number).as(StateRequest::new),
        Combinators.combine(session, Arbitraries.strings().ofMaxLength(100)).as(Refresh::new));
  }

  @Provide
  Arbitrary<Object> serverBodies() {
    Arbitrary<Long> session = Arbitraries.longs();
    Arbitrary<Long> number = Arbitraries.longs();
    Arbitrary<List<DownloadedChangeset>> downloaded =
        Combinators.combine(number, changesets().map(Bodies::encode))
            .as(DownloadedChangeset::new)
            .list()
            .ofMaxSize(3);
    return Arbitraries.oneOf(
        Combinators.combine(session, number, number).as(ServerIdent::new),
        Combinators.combine(session, number, number, number, number, number, downloaded)
            .as(Download::new),
        session.map(Unbound::new),
        Combinators.combine(
                session,
                Arbitraries.integers(),
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of(true, false))
            .as(Error::new),
        number.map(Pong::new),
        Combinators.combine(session, number).as(Mark::new),
        Combinators.combine(session, number).as(ClientVersion::new),
        Combinators.combine(
                session, number, Arbitraries.of(true, false), Arbitraries.strings().ofMaxLength(40))
            .as(TransactResult::new),
        Combinators.combine(
                session,
                number,
                number,
                number,
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.of(true, false),
                stateObjects())
            .as(State::new));
  }

  private Arbitrary<List<StateObject>> stateObjects() {
    Arbitrary<StoredProperty> property =
        Combinators.combine(
                Arbitraries.of("text", "priority", "done"),
                Arbitraries.oneOf(
                    Arbitraries.longs().map(Object.class::cast),
                    Arbitraries.strings().ofMaxLength(20).map(Object.class::cast),
                    Arbitraries.of(true, false).map(Object.class::cast)))
            .as(StoredProperty::new);
    return Combinators.combine(
            Arbitraries.of("Task", "Tag"), Arbitraries.longs(), property.list().ofMaxSize(3))
        .as(StateObject::new)
        .list()
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<Changeset> changesets() {
    Arbitrary<ObjectKey> key =
        Combinators.combine(Arbitraries.of("Task", "Tag"), Arbitraries.longs().between(1, 1_000))
            .as(ObjectKey::new);
    Arbitrary<Value> scalar =
        Arbitraries.oneOf(
            Arbitraries.just(Value.NULL),
            Arbitraries.of(true, false).map(Value::of),
            Arbitraries.longs().map(Value::of),
            Arbitraries.doubles().map(Value::of),
            Arbitraries.strings().ofMaxLength(2_000).map(Value::of),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(Value::of));
    Arbitrary<Value> element =
        Arbitraries.oneOf(
            Arbitraries.longs().map(Value::of),
            Arbitraries.strings().ofMaxLength(10).map(Value::of));
    Arbitrary<Instruction> instruction =
        Arbitraries.oneOf(
            key.map(Instruction.CreateObject::new),
            key.map(Instruction.EraseObject::new),
            Combinators.combine(key, Arbitraries.of("text", "priority"), scalar)
                .as(Instruction.Update::new),
            Combinators.combine(key, Arbitraries.longs())
                .as((k, delta) -> new Instruction.AddInteger(k, "priority", delta)),
            Combinators.combine(key, Arbitraries.longs().between(1, 99))
                .as((k, target) -> new Instruction.SetInsert(k, "tags", target)),
            Combinators.combine(key, element.list().ofMaxSize(5))
                .as((k, list) -> new Instruction.Update(k, "list", new Value.Vector(list))),
            Combinators.combine(key, Arbitraries.integers().between(0, 9), element)
                .as((k, index, value) -> new Instruction.ArrayInsert(k, "list", index, value)),
            Combinators.combine(
                    key, Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9))
                .as((k, from, to) -> new Instruction.ArrayMove(k, "list", from, to)));
    return Combinators.combine(
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.longs(),
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            instruction.list().ofMaxSize(20))
        .as(Changeset::new);
  }

  private Arbitrary<List<ChangesetBody>> bodies() {
    return changesets().map(Bodies::encode).list().ofMaxSize(3);
  }
}
