package dev.loam.internal.codec;

import dev.loam.testing.Json;
import dev.loam.ChangeHash;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Test support: fixture bytes, the JS oracles, seeds, and whole-file loading. */
final class Fixtures {
  private Fixtures() {}

  static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
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
    return (Map<String, Object>) Json.parse(new String(bytes(path), StandardCharsets.UTF_8));
  }

  /** expected-js-load.json keys are relative to upstream-rust/ or the repo root. */
  static String resourcePath(String key) {
    return key.startsWith("go-automerge-testdata/") ? key : "upstream-rust/" + key;
  }

  /** Seeds: LOAM_TEST_SEED if set, else a fixed list. */
  static long[] seeds() {
    String env = System.getenv("LOAM_TEST_SEED");
    if (env != null && !env.isBlank()) {
      return new long[] {Long.parseLong(env.strip())};
    }
    return new long[] {1, 2, 3, 42, 1234, 0xC0FFEE, 987654321, -7};
  }

  /** Every change of a file and the heads of their union. */
  record Loaded(List<StoredChange> changes, List<ChangeHash> heads, List<Chunk> chunks) {}

  static Loaded load(byte[] file) {
    List<Chunk> chunks = ChunkReader.readAll(file);
    List<StoredChange> changes = new ArrayList<>();
    for (Chunk c : chunks) {
      if (c.type() == ChunkType.DOCUMENT) {
        changes.addAll(DocumentChunk.decode(c).changes());
      } else {
        changes.add(ChangeChunk.decode(c));
      }
    }
    Set<ChangeHash> all = new HashSet<>();
    Set<ChangeHash> depended = new HashSet<>();
    for (StoredChange ch : changes) {
      all.add(ch.hash());
      depended.addAll(ch.deps());
    }
    TreeSet<ChangeHash> heads = new TreeSet<>(all);
    heads.removeAll(depended);
    return new Loaded(changes, List.copyOf(heads), chunks);
  }

  /** Whether two changes agree field by field (ChangeOp holds arrays, so record equality is by identity). */
  static boolean sameChange(StoredChange a, StoredChange b) {
    if (!(a.hash().equals(b.hash()) && a.actors().equals(b.actors()) && a.seq() == b.seq()
        && a.startOp() == b.startOp() && a.time() == b.time() && java.util.Objects.equals(a.message(), b.message())
        && a.deps().equals(b.deps()) && Arrays.equals(a.extraBytes(), b.extraBytes())
        && Arrays.equals(a.chunk(), b.chunk()) && a.ops().size() == b.ops().size())) {
      return false;
    }
    for (int i = 0; i < a.ops().size(); i++) {
      if (!sameOp(a.ops().get(i), b.ops().get(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean sameOp(ChangeOp x, ChangeOp y) {
    return x.objCtr() == y.objCtr() && x.objActor() == y.objActor() && java.util.Objects.equals(x.key(), y.key())
        && x.elemCtr() == y.elemCtr() && x.elemActor() == y.elemActor() && x.insert() == y.insert()
        && x.action() == y.action() && x.value().equals(y.value()) && Arrays.equals(x.predCtr(), y.predCtr())
        && Arrays.equals(x.predActor(), y.predActor()) && x.expand() == y.expand()
        && java.util.Objects.equals(x.markName(), y.markName());
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xff));
    }
    return s.toString();
  }

  static byte[] unhex(String h) {
    h = h.replace(" ", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
