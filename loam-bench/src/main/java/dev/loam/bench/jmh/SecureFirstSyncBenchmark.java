package dev.loam.bench.jmh;

import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureItem;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A new member's first sync of a long secure document: {@code changes} one-character changes
 * written in {@code changes / perEnvelope} envelopes (100,000 in 1,000 by default, the batching
 * policy's bound), then the reader added. Timed: from the stored bytes of every item to the
 * materialized text — decode and verify every item, evaluate the log, open the key chain,
 * decrypt every envelope and apply its changes. Beside it, a plain document's equivalents: the same
 * change chunks applied to an empty document, and the whole document loaded from one saved file
 * (what a plain peer gets when it has nothing). The target is under 2 s. The fork turns
 * off the per-process cache of verified items ({@code loam.secure.verifiedCache=0}), so that every
 * invocation verifies every signature, as a new member's first sync does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx8g", "-Dloam.secure.verifiedCache=0"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class SecureFirstSyncBenchmark {
  @Param({"100000"})
  public int changes;

  @Param({"100"})
  public int perEnvelope;

  Identity reader;
  DocumentId document;
  List<byte[]> encoded;
  List<byte[]> chunks;
  byte[] saved;

  @Setup
  public void write() {
    SecureFixtures.Typist t = SecureFixtures.typist(3);
    t.type(changes, perEnvelope);
    reader = t.newMember(Level.READ, 4);
    document = t.doc().id();
    encoded = t.doc().items().stream().map(i -> i.encoded().toByteArray()).toList();
    chunks = t.doc().document().changes().stream().map(Change::bytes).map(b -> b.toByteArray()).toList();
    saved = t.doc().document().save();
  }

  /** The new member opens everything the server sent and materializes the document. */
  @Benchmark
  public Document firstSync() {
    return firstSync(reader, document, encoded);
  }

  static Document firstSync(Identity reader, DocumentId document, List<byte[]> encoded) {
    List<SecureItem> items = new java.util.ArrayList<>(encoded.size());
    for (SecureItem.Decoded d : SecureItem.decodeAll(encoded.stream().map(Bytes::of).toList())) { // as a client does
      items.add(switch (d) {
        case SecureItem.Decoded.Item(SecureItem item) -> item;
        case SecureItem.Decoded.Malformed(String reason) -> throw new IllegalStateException(reason);
      });
    }
    return SecureDocument.open(reader, document, items).document();
  }

  /** The plain path: the same changes applied to an empty document. */
  @Benchmark
  public Document firstSyncPlain() {
    Document d = Document.create();
    d.applyChanges(chunks);
    return d;
  }

  /** The plain path when the peer has nothing: one saved document loaded (hashes verified). */
  @Benchmark
  public Document firstSyncPlainLoad() {
    return Document.load(saved);
  }
}
