package dev.loam.bench;

import dev.loam.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An editing trace of josephg/editing-traces: transactions of {@code [pos, delCount, insert]}
 * patches in code points (all traces are BMP-only, so UTF-16 indices are the same).
 *
 * <p>Patches are held in flat arrays: transaction {@code t} owns patches
 * {@code txnStart[t] .. txnStart[t + 1] - 1}. Concurrent traces also carry each transaction's
 * agent and parents; a sequential trace has agent 0 and parent {@code t - 1} for every {@code t}.
 *
 * <p>Immutable after parsing; safe to share between threads.
 */
public final class Trace {
  public final String name;
  public final String startContent;
  public final String endContent;
  public final boolean concurrent;
  public final int numAgents;
  /** Start of each transaction's patches; length {@code txns + 1}. */
  public final int[] txnStart;
  public final int[] pos;
  public final int[] del;
  public final String[] ins;
  public final int[] agent;
  public final int[][] parents;
  /** Characters inserted plus characters deleted: the ops a per-character CRDT records. */
  public final long charOps;

  private Trace(String name, JsonNode root) {
    this.name = name;
    this.startContent = root.path("startContent").asString("");
    this.endContent = root.path("endContent").asString();
    this.concurrent = "concurrent".equals(root.path("kind").asString(""));
    this.numAgents = concurrent ? root.path("numAgents").asInt() : 1;
    JsonNode txns = array(root.path("txns"), "\"txns\"");
    int n = txns.size();
    int patches = 0;
    for (JsonNode t : txns) {
      for (JsonNode patch : array(t.path("patches"), "a transaction's \"patches\"")) {
        if (!patch.isArray() || patch.size() != 3 || !patch.get(0).isIntegralNumber() || !patch.get(1).isIntegralNumber()
            || !patch.get(2).isString()) {
          throw new IllegalArgumentException("a patch is not [position, deleted, inserted text]: " + patch);
        }
        patches++;
      }
    }
    txnStart = new int[n + 1];
    pos = new int[patches];
    del = new int[patches];
    ins = new String[patches];
    agent = new int[n];
    parents = new int[n][];
    long ops = 0;
    int p = 0;
    for (int t = 0; t < n; t++) {
      JsonNode txn = txns.get(t);
      txnStart[t] = p;
      for (JsonNode patch : txn.get("patches")) {
        pos[p] = patch.get(0).asInt();
        del[p] = patch.get(1).asInt();
        ins[p] = patch.get(2).asString();
        ops += del[p] + ins[p].codePointCount(0, ins[p].length());
        p++;
      }
      if (concurrent) {
        agent[t] = txn.path("agent").asInt();
        JsonNode ps = txn.path("parents");
        parents[t] = new int[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
          parents[t][i] = ps.get(i).asInt();
        }
      } else {
        parents[t] = t == 0 ? new int[0] : new int[] {t - 1};
      }
    }
    txnStart[n] = p;
    this.charOps = ops;
    if (!startContent.isEmpty()) {
      throw new IllegalArgumentException(name + ": traces with start content are not supported");
    }
  }

  private static JsonNode array(JsonNode node, String what) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(what + " is not an array");
    }
    return node;
  }

  /**
   * Reads a gzipped (or plain, if the name does not end in .gz) JSON trace.
   *
   * @throws CliException if the file cannot be read or is not an editing trace (the message says which)
   */
  public static Trace read(Path file) {
    String fileName = file.getFileName().toString();
    String name = fileName.replaceFirst("\\.json(\\.gz)?$", "");
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = fileName.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      return new Trace(name, JsonMapper.builder().build().readTree(in));
    } catch (IOException | JacksonException | IllegalArgumentException e) {
      String reason = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage(); // without the parser's location dump
      throw new CliException(file + " is not an editing trace (josephg/editing-traces JSON): " + reason, e);
    }
  }

  public int txns() {
    return agent.length;
  }

  public int patches() {
    return pos.length;
  }
}
