package io.tributary.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The sync logic stays pure: no broker, no network, no storage engine. */
@AnalyzeClasses(
    packages = "io.tributary.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreHasNoIo =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "io.vertx..",
              "io.netty..",
              "org.rocksdb..",
              "org.apache.avro..")
          .because("core is pure logic; services are thin adapters around it");

  @ArchTest
  static final ArchRule coreDoesNoFileOrNetworkIo =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..")
          .because("core must be testable without a machine around it");

  @ArchTest
  static final ArchRule sessionMachinesHaveNoThreadsOrClocks =
      noClasses()
          .that()
          .resideInAnyPackage("io.tributary.core.session..", "io.tributary.core.protocol..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.util.concurrent..")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(java.time.Clock.class)
          .orShould()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(Thread.class)
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .because(
              "the session machines take inputs and return effects: the shells own threads,"
                  + " timers and the clock, so that tests drive every interleaving");
}
