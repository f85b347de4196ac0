package dev.loam.typed

import dev.loam.ActorId
import dev.loam.Document
import dev.loam.ObjId
import dev.loam.ObjType
import dev.loam.ScalarValue
import dev.loam.Value
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Kotlin data classes map as Java records do: by primary-constructor parameters (kotlinc -java-parameters). */
class KotlinDataClassTest {
  enum class Priority { LOW, HIGH }

  data class Task(@Key val id: String, @Text val title: String, val isDone: Boolean, val priority: Priority)

  data class Board(
    @Text val name: String,
    val tasks: List<Task>,
    val tags: Map<String, Int>,
    val visits: Counter,
    @Default("7") val version: Int,
    val note: String?,
  )

  @Test
  fun aDataClassRoundTripsAndReconcilesLikeARecord() {
    val mapper = Mapper.of(Board::class.java)
    val doc = Document.create(ActorId.fromHex("aa"))
    val board = Board("Kitchen", listOf(Task("t1", "Milk", false, Priority.LOW)), mapOf("home" to 1), Counter.of(2), 3, null)
    doc.transact { tx -> mapper.reconcile(tx, board) }
    assertEquals(board, mapper.read(doc))
    assertEquals(
      "{\"name\":\"Kitchen\",\"tags\":{\"home\":1},\"tasks\":[{\"id\":\"t1\",\"isDone\":false,\"priority\":\"LOW\",\"title\":\"Milk\"}],\"version\":3,\"visits\":2}",
      doc.toJson())

    // concurrent edits of two replicas merge field by field, as hand edits would
    val other = doc.fork()
    doc.transact { tx -> mapper.reconcile(tx, board.copy(tasks = listOf(board.tasks[0].copy(isDone = true)), visits = board.visits.plus(1))) }
    other.transact { tx -> mapper.reconcile(tx, board.copy(tasks = listOf(board.tasks[0].copy(title = "Oat milk")), visits = board.visits.plus(1))) }
    doc.merge(other)
    val merged = mapper.read(doc)
    assertEquals(Task("t1", "Oat milk", true, Priority.LOW), merged.tasks.single())
    assertEquals(4L, merged.visits.value())
  }

  data class Defaults(val title: String, val pages: Int = 10, val tags: List<String> = listOf("kotlin"))

  @Test
  fun kotlinDefaultArgumentsDoNotConfuseThePrimaryConstructor() {
    // the synthetic constructor Kotlin adds for default arguments is not the primary one
    val doc = Document.create(ActorId.fromHex("cc"))
    doc.transact { tx -> Mapper.of(Defaults::class.java).reconcile(tx, Defaults("Notes")) }
    assertEquals("{\"pages\":10,\"tags\":[\"kotlin\"],\"title\":\"Notes\"}", doc.toJson())
    assertEquals(Defaults("Notes"), Mapper.of(Defaults::class.java).read(doc))
  }

  @Test
  fun aMissingNonNullPropertyIsAMappingErrorNamingTheClass() {
    val doc = Document.create(ActorId.fromHex("dd"))
    val e = assertThrows(MappingException::class.java) { Mapper.of(Defaults::class.java).read(doc) }
    assertTrue(e.message!!.contains("Defaults's constructor refused"), e.message)
  }

  @Test
  fun textAnnotationsOnConstructorParametersMakeTextObjects() {
    val doc = Document.create(ActorId.fromHex("ee"))
    doc.transact { tx -> Mapper.of(Board::class.java).reconcile(tx, Board("K", listOf(), mapOf(), Counter.ZERO, 1, "n")) }
    assertEquals(ObjType.TEXT, (doc.get(ObjId.ROOT, "name").orElseThrow() as Value.Obj).type())
    assertEquals(ScalarValue.of("n"), doc.get(ObjId.ROOT, "note").orElseThrow())
  }

  @Test
  fun aMissingFieldReadsAsItsDeclaredDefault() {
    val doc = Document.create(ActorId.fromHex("bb"))
    doc.transact { tx -> tx.putText(ObjId.ROOT, "name", "Only a name") }
    val board = Mapper.of(Board::class.java).read(doc)
    assertEquals(Board("Only a name", listOf(), mapOf(), Counter.ZERO, 7, null), board)
  }
}
