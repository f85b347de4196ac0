package dev.loam.cli;

import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.LoamException;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncLimits;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam doc sync-stdio FILE}: one sync peer over standard input and output, so that any
 * program can sync with a Loam file.
 *
 * <p>Every message is a {@link Frames frame}: its length as an unsigned LEB128, then its bytes.
 * The command sends its first message at once, and answers each frame it receives with every
 * message it then has to send. The end of input ends the session: FILE is then saved atomically
 * and the exit code is 0. A malformed frame or message, or one past the limits, is a protocol
 * error: one line on stderr, exit code 1, FILE untouched.
 *
 * <p>Threading: the calling thread reads and decodes; one writer thread (started and joined by
 * {@link #call}) writes frames, so a peer that writes before it reads cannot deadlock the session
 * however large the messages.
 */
@Command(
    name = "sync-stdio",
    mixinStandardHelpOptions = true,
    description = {
      "Sync FILE with a peer over standard input and output: each message is framed by its length "
          + "as an unsigned LEB128. Sends its first message at once and answers each frame; stdout "
          + "carries frames only. The end of input ends the session, then FILE is saved atomically (exit 0).",
      "A malformed or oversized frame or message is a protocol error: exit 1, FILE untouched."
    })
final class DocSyncStdioCommand implements Callable<Integer> {
  /** Messages generated in answer to one frame, at most: a guard against a looping protocol. */
  private static final int MAX_ANSWERS = 64;

  @Spec CommandSpec spec;

  @ParentCommand DocCommand doc;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--max-message-bytes", paramLabel = "N",
      description = "Refuse frames longer than N bytes. Default: ${DEFAULT-VALUE} (SyncLimits.DEFAULT).")
  int maxMessageBytes = SyncLimits.DEFAULT.maxMessageBytes();

  @Option(names = {"-v", "--verbose"}, description = "Describe each message, and the session at its end, on stderr.")
  boolean verbose;

  private long sentMessages;
  private long sentBytes;
  private long receivedMessages;
  private long receivedBytes;

  @Override
  public Integer call() {
    if (maxMessageBytes < 1) {
      throw new CliException("--max-message-bytes must be at least 1, not " + maxMessageBytes);
    }
    SyncLimits limits = SyncLimits.DEFAULT.newBuilder().maxMessageBytes(maxMessageBytes).build();
    Document document = DocFiles.load(file);
    SyncState state = new SyncState();
    InputStream in = doc.main.stdin;
    Writer writer = new Writer(doc.main.stdout);
    boolean ended = false;
    try {
      answer(document, state, writer);
      byte[] frame;
      while ((frame = readFrame(in)) != null) {
        receivedMessages++;
        receivedBytes += frame.length;
        try {
          SyncMessage m = SyncMessage.decode(frame);
          describe("<-", m, frame.length);
          Sync.receiveSyncMessage(document, state, m, limits);
        } catch (DecodeException e) {
          throw new CliException("protocol error: message " + receivedMessages + " is malformed: " + Main.oneLine(e.getMessage()), e);
        } catch (LoamException e) {
          throw new CliException("protocol error: message " + receivedMessages + " refused: " + Main.oneLine(e.getMessage()), e);
        }
        answer(document, state, writer);
        writer.check();
      }
      ended = true;
    } finally {
      if (!ended) {
        writer.abandon();
      }
    }
    writer.close();
    writer.check();
    DocFiles.save(document, file);
    if (verbose) {
      diagnostics().print("session ended: received " + receivedMessages + " messages (" + receivedBytes
          + " bytes), sent " + sentMessages + " messages (" + sentBytes + " bytes); saved "
          + file + " with " + document.heads().size() + " heads\n");
      diagnostics().flush();
    }
    return 0;
  }

  private byte[] readFrame(InputStream in) {
    try {
      return Frames.read(in, maxMessageBytes);
    } catch (Frames.ProtocolException e) {
      throw new CliException("protocol error: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException("cannot read standard input: " + e.getMessage(), e);
    }
  }

  /** Sends every message the document has for the peer now. */
  private void answer(Document document, SyncState state, Writer writer) {
    for (int i = 0; i < MAX_ANSWERS; i++) {
      Optional<SyncMessage> m = Sync.generateSyncMessage(document, state);
      if (m.isEmpty()) {
        return;
      }
      byte[] bytes = m.get().encode();
      describe("->", m.get(), bytes.length);
      sentMessages++;
      sentBytes += bytes.length;
      writer.send(bytes);
    }
    throw new CliException("the sync protocol kept generating messages (" + MAX_ANSWERS + " in a row)");
  }

  private void describe(String direction, SyncMessage m, int length) {
    if (verbose) {
      diagnostics().print(direction + " " + length + " bytes: " + m.heads().size() + " heads, "
          + m.need().size() + " needed, " + m.changes().size() + " changes\n");
      diagnostics().flush();
    }
  }

  private PrintWriter diagnostics() {
    return spec.commandLine().getErr();
  }

  /** Writes frames on its own thread, in order; remembers the first failure. */
  private static final class Writer {
    private static final byte[] END = new byte[0];
    private static final long ABANDON_WAIT_MILLIS = 2_000;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile IOException failure;

    Writer(OutputStream out) {
      thread = new Thread(() -> run(out), "loam-sync-stdio-writer");
      thread.setDaemon(true);
      thread.start();
    }

    private void run(OutputStream out) {
      try {
        while (true) {
          byte[] frame = queue.take();
          if (frame == END) {
            out.flush();
            return;
          }
          if (failure == null) {
            Frames.write(out, frame);
          }
        }
      } catch (IOException e) {
        failure = e;
        // keep nothing: the reader sees the failure at its next check
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void send(byte[] frame) {
      queue.add(frame);
    }

    void check() {
      IOException e = failure;
      if (e != null) {
        throw new CliException("cannot write to standard output: " + Main.oneLine(e.getMessage()), e);
      }
    }

    /**
     * Stops after what is queued, waiting a little for it: the session failed, and the peer may
     * no longer be reading.
     */
    void abandon() {
      queue.add(END);
      try {
        thread.join(ABANDON_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Writes what is queued, then stops; waits for it. */
    void close() {
      queue.add(END);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while writing standard output");
      }
    }
  }
}
