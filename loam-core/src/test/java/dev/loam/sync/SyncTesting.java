package dev.loam.sync;

import dev.loam.testing.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongConsumer;

/** Test support for the sync tests: fixtures, seeded documents and edits, in-memory sessions. */
final class SyncTesting {
  private SyncTesting() {}

  static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z"));

  static byte[] fixture(String path) {
    try (InputStream in = SyncTesting.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String path) {
    return (Map<String, Object>) Json.parse(new String(fixture(path), java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * The seeds to run: {@code LOAM_TEST_SEED} alone if set, else {@code loam.seeds} (default
   * {@code defaultCount}) seeds 1..n.
   */
  static long[] seeds(int defaultCount) {
    String env = System.getenv("LOAM_TEST_SEED");
    if (env != null && !env.isBlank()) {
      return new long[] {Long.parseLong(env.strip())};
    }
    int n = Integer.getInteger("loam.seeds", defaultCount);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = i + 1;
    }
    return out;
  }

  /** Runs {@code body} for every seed, naming the seed in any failure. */
  static void forEachSeed(long[] seeds, LongConsumer body) {
    for (long seed : seeds) {
      try {
        body.accept(seed);
      } catch (RuntimeException | AssertionError e) {
        System.err.println("failing seed: " + seed + " (rerun with LOAM_TEST_SEED=" + seed + ")");
        throw new AssertionError("seed " + seed + ": " + e, e);
      }
    }
  }

  static ActorId actor(Random r) {
    byte[] b = new byte[16];
    r.nextBytes(b);
    return ActorId.of(b);
  }

  static Document newDoc(Random r) {
    return Document.create(actor(r), CLOCK);
  }

  /** A document with a text object, a list and a counter, as a common ancestor. */
  static Document base(Random r) {
    Document d = newDoc(r);
    d.transact(tx -> {
      ObjId text = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
      tx.spliceText(text, 0, 0, "hello");
      tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
      tx.put(ObjId.ROOT, "n", ScalarValue.counter(0));
    });
    return d;
  }

  /** A fork of {@code d} with a seeded actor. */
  static Document fork(Document d, Random r) {
    Document f = d.fork();
    f.setActor(actor(r));
    return f;
  }

  /** {@code n} small random changes: map puts, text splices, list inserts, counter increments. */
  static void edit(Document d, Random r, int n) {
    for (int i = 0; i < n; i++) {
      d.transact(tx -> {
        Optional<ObjId> text = objAt(tx, "text");
        Optional<ObjId> list = objAt(tx, "list");
        int kind = r.nextInt(4);
        if (kind == 1 && text.isPresent()) {
          int len = tx.length(text.get());
          int at = r.nextInt(len + 1);
          int del = at < len && r.nextInt(4) == 0 ? 1 : 0;
          tx.spliceText(text.get(), at, del, Character.toString('a' + r.nextInt(26)));
        } else if (kind == 2 && list.isPresent()) {
          tx.insert(list.get(), r.nextInt(tx.length(list.get()) + 1), ScalarValue.of(r.nextInt(1000)));
        } else if (kind == 3 && tx.get(ObjId.ROOT, "n").orElse(null) instanceof ScalarValue.Counter) {
          tx.increment(ObjId.ROOT, "n", 1 + r.nextInt(5));
        } else {
          tx.put(ObjId.ROOT, "k" + r.nextInt(30), ScalarValue.of(r.nextInt(1_000_000)));
        }
      });
    }
  }

  private static Optional<ObjId> objAt(dev.loam.Transaction tx, String key) {
    return tx.get(ObjId.ROOT, key).flatMap(v -> v instanceof dev.loam.Value.Obj o ? Optional.of(o.id()) : Optional.empty());
  }

  static final boolean TRACE = Boolean.getBoolean("loam.sync.trace");

  /** Counts of one finished session. */
  record Session(int messages, long bytes) {}

  /** Syncs two documents over a perfect channel until neither sends; fails after {@code maxMessages}. */
  static Session syncPair(Document a, SyncState sa, Document b, SyncState sb, int maxMessages) {
    int messages = 0;
    long bytes = 0;
    while (true) {
      Optional<SyncMessage> ab = Sync.generateSyncMessage(a, sa);
      if (ab.isPresent()) {
        byte[] m = ab.get().encode();
        if (TRACE) {
          System.err.println("a->b " + ab.get() + " queuedB=" + dev.loam.internal.doc.Engines.of(b).queuedCount());
        }
        messages++;
        bytes += m.length;
        Sync.receiveSyncMessage(b, sb, m);
      }
      Optional<SyncMessage> ba = Sync.generateSyncMessage(b, sb);
      if (ba.isPresent()) {
        byte[] m = ba.get().encode();
        if (TRACE) {
          System.err.println("b->a " + ba.get() + " queuedA=" + dev.loam.internal.doc.Engines.of(a).queuedCount());
        }
        messages++;
        bytes += m.length;
        Sync.receiveSyncMessage(a, sa, m);
      }
      if (ab.isEmpty() && ba.isEmpty()) {
        return new Session(messages, bytes);
      }
      if (messages > maxMessages) {
        throw new AssertionError("no convergence after " + messages + " messages");
      }
    }
  }

  static void assertSame(Document a, Document b) {
    assertEquals(a.heads(), b.heads(), "heads");
    assertEquals(a.toJson(), b.toJson(), "JSON");
  }

  static List<String> hexList(Object o) {
    List<String> out = new ArrayList<>();
    for (Object x : (List<?>) o) {
      out.add((String) x);
    }
    return out;
  }
}
