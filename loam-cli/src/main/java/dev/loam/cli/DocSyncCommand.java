package dev.loam.cli;

import dev.loam.Document;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam doc sync A B}: two files reach the same state through the sync protocol, in memory.
 * Each round A speaks (if it has something to say) and B takes it in, then B speaks and A takes it
 * in; the session ends after a round in which neither spoke.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Sync the documents A and B with each other through Automerge's sync protocol (each round A "
          + "sends, then B answers, until neither has anything to send), then write both back atomically.",
      "Prints the rounds, and the messages and bytes sent in each direction."
    })
final class DocSyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "A")
  Path a;

  @Parameters(index = "1", paramLabel = "B")
  Path b;

  @Option(names = "--max-rounds", paramLabel = "N", defaultValue = "1000",
      description = "Give up (writing nothing) after N rounds. Default: ${DEFAULT-VALUE}.")
  int maxRounds;

  @Override
  public Integer call() {
    if (maxRounds < 1) {
      throw new CliException("--max-rounds must be at least 1, not " + maxRounds);
    }
    Document docA = DocFiles.load(a);
    Document docB = DocFiles.load(b);
    Direction aToB = new Direction();
    Direction bToA = new Direction();
    SyncState stateA = new SyncState();
    SyncState stateB = new SyncState();
    int rounds = 0;
    while (true) {
      boolean spoke = aToB.send(docA, stateA, docB, stateB);
      spoke |= bToA.send(docB, stateB, docA, stateA);
      if (!spoke) {
        break;
      }
      if (++rounds == maxRounds) {
        throw new CliException("the peers were still sending after " + maxRounds + " rounds; nothing written");
      }
    }
    if (!docA.heads().equals(docB.heads())) {
      throw new CliException("the sync ended with different heads (a protocol bug); nothing written");
    }
    // Both are encoded before either is written, so a failure cannot leave one file behind.
    byte[] bytesA = DocFiles.encode(docA);
    byte[] bytesB = DocFiles.encode(docB);
    DocFiles.writeAtomically(a, bytesA);
    if (!b.toAbsolutePath().normalize().equals(a.toAbsolutePath().normalize())) {
      DocFiles.writeAtomically(b, bytesB);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print("rounds: " + rounds + "\n");
    out.print("A -> B: " + aToB + "\n");
    out.print("B -> A: " + bToA + "\n");
    out.print("heads: " + docA.heads().size() + ", changes: " + docA.changes().size() + "\n");
    out.flush();
    return 0;
  }

  /** What one side sent the other. */
  private static final class Direction {
    long messages;
    long bytes;

    /** Sends the next message from one side to the other, if any; true when one was sent. */
    boolean send(Document from, SyncState fromState, Document to, SyncState toState) {
      Optional<SyncMessage> m = Sync.generateSyncMessage(from, fromState);
      if (m.isEmpty()) {
        return false;
      }
      byte[] encoded = m.get().encode();
      messages++;
      bytes += encoded.length;
      Sync.receiveSyncMessage(to, toState, encoded);
      return true;
    }

    @Override
    public String toString() {
      return messages + (messages == 1 ? " message, " : " messages, ") + bytes + (bytes == 1 ? " byte" : " bytes");
    }
  }
}
