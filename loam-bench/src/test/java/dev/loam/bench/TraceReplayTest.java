package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness replays what a trace says: the expected text is the trace's own end content (or a
 * plain string model of its patches), never Loam's output.
 */
class TraceReplayTest {
  @TempDir Path dir;

  /** A small sequential trace with deletes, emoji and several patches per transaction. */
  private Path smallTrace() throws IOException {
    String[][] txns = {
      {"0", "0", "hello"}, {"5", "0", " world"}, {"0", "1", "H"}, {"11", "0", " 😀!"},
      {"6", "5", "Loam"}, {"4", "1", "o,"},
    };
    StringBuilder model = new StringBuilder();
    StringBuilder json = new StringBuilder("{\"startContent\":\"\",\"txns\":[");
    for (int i = 0; i < txns.length; i++) {
      int pos = Integer.parseInt(txns[i][0]);
      int del = Integer.parseInt(txns[i][1]);
      String ins = txns[i][2];
      model.replace(pos, pos + del, ins);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"time\":\"2020-01-01T00:00:00Z\",\"patches\":[[").append(pos).append(',').append(del)
          .append(",\"").append(ins).append("\"]]}");
    }
    json.append("],\"endContent\":\"").append(model).append("\"}");
    Path file = dir.resolve("small.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(json.toString().getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("Hello, Loam 😀!", model.toString());
    return file;
  }

  @Test
  void bothModesReplayTheTraceToItsEndContent() throws IOException {
    Trace trace = Trace.read(smallTrace());
    for (TraceReplay.Mode mode : TraceReplay.Mode.values()) {
      TraceReplay.Replayed r = TraceReplay.replay(trace, mode);
      assertEquals(trace.endContent, r.doc().text(r.text()), mode.toString());
    }
  }

  @Test
  void aFileThatIsNotATraceIsRefusedWithItsReason() throws IOException {
    Map<String, String> files = Map.of(
        "notjson", "Unrecognized token",
        "{}", "\"txns\" is not an array",
        "{\"txns\":[{\"patches\":[[0,0]]}]}", "a patch is not [position, deleted, inserted text]: [0,0]",
        "{\"startContent\":\"x\",\"txns\":[]}", "traces with start content are not supported");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = Files.writeString(dir.resolve("bad.json"), f.getKey());
      dev.loam.cli.CliException e = assertThrows(dev.loam.cli.CliException.class, () -> Trace.read(file));
      assertTrue(e.getMessage().startsWith(file + " is not an editing trace (josephg/editing-traces JSON): "), e.getMessage());
      assertTrue(e.getMessage().contains(f.getValue()), e.getMessage());
    }
    assertThrows(dev.loam.cli.CliException.class, () -> Trace.read(dir.resolve("absent.json.gz")));
  }

  @Test
  void aRepeatedTraceIsItsEndContentOnceForEachRepetition() throws IOException {
    Trace trace = Trace.read(smallTrace());
    TraceReplay.Replayed r = TraceReplay.repeated(trace, 3);
    assertEquals(trace.endContent.repeat(3), r.doc().text(r.text()));
    assertEquals(1 + trace.txns() + 2, r.doc().changes().size(),
        "the change making the text, one per transaction, then one per further repetition");
  }

  @Test
  void theScaleCommandReportsEachScaleAgainstTheFirst() throws IOException {
    Path file = smallTrace();
    Trace trace = Trace.read(file);
    java.io.StringWriter out = new java.io.StringWriter();
    int code = new picocli.CommandLine(new ScaleCommand()).setOut(new java.io.PrintWriter(out))
        .execute("--trace", file.toString(), "--scales", "1,4", "--runs", "1");
    assertEquals(0, code);
    String report = out.toString();
    assertTrue(report.startsWith("| small × k | ops |"), report);
    assertTrue(report.contains("| ×1 | " + trace.charOps + " |"), report);
    assertTrue(report.contains("| ×4 | " + 4 * trace.charOps + " |"), report);
    assertTrue(report.contains("| 1.00 / 1.00 / 1.00 |"), "the first scale against itself: " + report);
  }

  @Test
  void aBenchRunChecksTextLoadAndSyncAndPrintsTheIssuesJsonShape() throws IOException {
    Trace trace = Trace.read(smallTrace());
    TraceBench.Result result = TraceBench.run(trace, TraceReplay.Mode.PER_TXN, 2);
    assertTrue(result.textOk() && result.loadOk() && result.syncOk(), result.toText());
    assertEquals(trace.txns() + 1, result.changes(), "one change creating the text, then one per transaction");
    String json = result.toJson(false);
    for (String key : new String[] {"\"trace\"", "\"mode\"", "\"runs\"", "\"replayMs\"", "\"first\"", "\"median\"",
        "\"saveMs\"", "\"saveBytes\"", "\"loadMs\"", "\"heapBytes\"", "\"syncEmptyPeerMs\"", "\"finalLength\"", "\"textOk\":true"}) {
      assertTrue(json.contains(key), key + " in " + json);
    }
  }

  @Test
  void theCommittedConcurrentTraceMergesToItsEndContent() {
    Trace trace = Trace.read(Path.of("traces/concurrent/friendsforever.json.gz"));
    TraceReplay.Replayed r = TraceReplay.replayConcurrent(trace, TraceReplay.Plan.of(trace));
    assertEquals(trace.endContent, r.doc().text(r.text()));
  }
}
