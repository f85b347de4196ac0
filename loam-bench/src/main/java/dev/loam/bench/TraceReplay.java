package dev.loam.bench;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a trace as local edits into one text object at {@code /text}, through the public
 * {@code Transaction} API only.
 *
 * <p>Every replay is deterministic: agent {@code i} writes as actor {@link #actor(int)} and every
 * change has time 0 (the JS runners in {@code bench/js} do the same, so Loam and Automerge JS
 * record the same history and the same change hashes).
 */
public final class TraceReplay {
  /** A commit clock stuck at the epoch: change times are 0, as in the JS runners. */
  public static final InstantSource EPOCH = InstantSource.fixed(Instant.EPOCH);

  /** How trace transactions map to changes. */
  public enum Mode {
    /** One change creating the text object, then one change per trace transaction. */
    PER_TXN("per-txn"),
    /** One change creating the text object and making every edit. */
    SINGLE("single");

    public final String label;

    Mode(String label) {
      this.label = label;
    }

    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.label.equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown mode '" + s + "' (per-txn or single)");
    }
  }

  /** A replayed document and its text object. */
  public record Replayed(Document doc, ObjId text) {}

  private TraceReplay() {}

  /** The actor of agent {@code i}: 16 bytes, the last one {@code i + 1}. */
  public static ActorId actor(int agent) {
    byte[] b = new byte[16];
    b[15] = (byte) (agent + 1);
    return ActorId.of(b);
  }

  /** Replays a sequential trace (a concurrent one in its linear order) into a new document. */
  /**
   * {@code t} replayed {@code times} times into one text, each repetition after the previous text:
   * the first with one change per transaction (a real history), the others as one change each
   * (the op set grows {@code times}-fold while the document and a fork of it still fit in memory).
   */
  public static Replayed repeated(Trace t, int times) {
    Replayed r = replay(t, Mode.PER_TXN);
    Document d = r.doc();
    ObjId obj = r.text();
    for (int k = 1; k < times; k++) {
      int offset = d.length(obj);
      d.transact(tx -> {
        for (int p = 0; p < t.pos.length; p++) {
          tx.spliceText(obj, offset + t.pos[p], t.del[p], t.ins[p]);
        }
      });
    }
    return r;
  }

  public static Replayed replay(Trace t, Mode mode) {
    Document doc = Document.create(actor(0), EPOCH);
    ObjId[] text = new ObjId[1];
    if (mode == Mode.SINGLE) {
      doc.transact(tx -> {
        text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
        for (int p = 0; p < t.patches(); p++) {
          tx.spliceText(text[0], t.pos[p], t.del[p], t.ins[p]);
        }
      });
      return new Replayed(doc, text[0]);
    }
    doc.transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    ObjId obj = text[0];
    int n = t.txns();
    for (int i = 0; i < n; i++) {
      int from = t.txnStart[i];
      int to = t.txnStart[i + 1];
      doc.transact(tx -> {
        for (int p = from; p < to; p++) {
          tx.spliceText(obj, t.pos[p], t.del[p], t.ins[p]);
        }
      });
    }
    return new Replayed(doc, obj);
  }

  /**
   * The plan for replaying a concurrent trace: per transaction, its sequence number within its
   * agent and the version vector (per agent, how many of its transactions) of its parents.
   * Requires each agent's transactions to form a chain, which holds for the published traces.
   */
  public record Plan(int[] seq, int[][] parentVv, int[][] txnsOfAgent) {
    public static Plan of(Trace t) {
      int n = t.txns();
      int agents = t.numAgents;
      int[] seq = new int[n];
      int[][] vv = new int[n][];
      int[][] parentVv = new int[n][];
      int[] count = new int[agents];
      for (int i = 0; i < n; i++) {
        int[] v = new int[agents];
        for (int p : t.parents[i]) {
          for (int a = 0; a < agents; a++) {
            v[a] = Math.max(v[a], vv[p][a]);
          }
        }
        int a = t.agent[i];
        if (v[a] != count[a]) {
          throw new IllegalArgumentException(t.name + ": txn " + i + " does not follow its agent's previous txn");
        }
        parentVv[i] = v.clone();
        seq[i] = count[a]++;
        v[a] = count[a];
        vv[i] = v;
      }
      int[][] of = new int[agents][];
      int[] k = new int[agents];
      for (int a = 0; a < agents; a++) {
        of[a] = new int[count[a]];
      }
      for (int i = 0; i < n; i++) {
        of[t.agent[i]][k[t.agent[i]]++] = i;
      }
      return new Plan(seq, parentVv, of);
    }
  }

  /**
   * Replays a concurrent trace with one document per agent. Before each transaction its agent's
   * document receives (as change bytes, {@link Document#applyChanges}) exactly the transactions
   * of its parents it has not seen; after it, the new change is read back as bytes for the other
   * agents. Returns the document of the last transaction's agent, which has seen everything.
   */
  public static Replayed replayConcurrent(Trace t, Plan plan) {
    int agents = t.numAgents;
    int n = t.txns();
    Document[] docs = new Document[agents];
    docs[0] = Document.create(actor(0), EPOCH);
    ObjId[] text = new ObjId[1];
    ChangeHash root = docs[0].transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT)).orElseThrow();
    byte[] rootBytes = docs[0].change(root).orElseThrow().bytes().toByteArray();
    for (int a = 1; a < agents; a++) {
      docs[a] = Document.create(actor(a), EPOCH);
      docs[a].applyChanges(List.of(rootBytes));
    }
    ObjId obj = text[0];
    byte[][] changes = new byte[n][];
    int[][] known = new int[agents][agents];
    List<byte[]> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = t.agent[i];
      int[] want = plan.parentVv()[i];
      missing.clear();
      for (int b = 0; b < agents; b++) {
        if (known[a][b] > want[b]) {
          throw new IllegalStateException("agent " + a + " has seen more than txn " + i + "'s parents");
        }
        for (int s = known[a][b]; s < want[b]; s++) {
          missing.add(changes[plan.txnsOfAgent()[b][s]]);
        }
        known[a][b] = want[b];
      }
      Document doc = docs[a];
      if (!missing.isEmpty()) {
        doc.applyChanges(missing);
      }
      int from = t.txnStart[i];
      int to = t.txnStart[i + 1];
      ChangeHash h = doc.transact(tx -> {
        for (int p = from; p < to; p++) {
          tx.spliceText(obj, t.pos[p], t.del[p], t.ins[p]);
        }
      }).orElseThrow();
      changes[i] = doc.change(h).orElseThrow().bytes().toByteArray();
      known[a][a]++;
    }
    return new Replayed(docs[t.agent[n - 1]], obj);
  }
}
