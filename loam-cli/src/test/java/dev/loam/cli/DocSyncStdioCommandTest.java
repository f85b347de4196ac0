package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DocSyncStdioCommandTest {
  @TempDir Path dir;

  /** A one-way byte pipe whose reader sees end of input once the writer closes. */
  private record BytePipe(InputStream in, OutputStream out) {
    static BytePipe open() {
      try {
        Pipe p = Pipe.open();
        return new BytePipe(Channels.newInputStream(p.source()), Channels.newOutputStream(p.sink()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Each peer and relay gets its own thread: the common pool may have a single worker. */
  private static final java.util.concurrent.Executor THREADS = r -> {
    Thread t = new Thread(r, "sync-stdio-test");
    t.setDaemon(true);
    t.start();
  };

  private static CompletableFuture<Cli.Result> start(InputStream in, OutputStream out, Object... args) {
    return CompletableFuture.supplyAsync(() -> {
      try (out) {
        return Cli.runStdio(in, out, args);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, THREADS);
  }

  private static byte[] frame(byte[] payload) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      Frames.write(b, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  private Path docFile(String name, String key, long value, ChangeHash... ignored) throws IOException {
    Document d = Document.create();
    d.put(ObjId.ROOT, key, ScalarValue.of(value));
    d.commit();
    return Files.write(dir.resolve(name), d.save());
  }

  @Test
  void syncsWithAPeerInTheTestOverPipes() throws Exception {
    Path file = docFile("loam.automerge", "fromLoam", 1);
    Document peer = Document.create();
    peer.put(ObjId.ROOT, "fromPeer", ScalarValue.of(2));
    peer.commit();
    SyncState state = new SyncState();
    BytePipe toLoam = BytePipe.open();
    BytePipe fromLoam = BytePipe.open();
    CompletableFuture<Cli.Result> loam = start(toLoam.in(), fromLoam.out(), "doc", "sync-stdio", file);
    List<ChangeHash> loamHeads = null;
    // The peer speaks first too; then it answers each frame until both have the same heads.
    send(peer, state, toLoam.out());
    while (loamHeads == null || !loamHeads.equals(peer.heads().hashes())) {
      byte[] f = Frames.read(fromLoam.in(), 1 << 20);
      assertNotNull(f, "loam ended the session early");
      SyncMessage m = SyncMessage.decode(f);
      loamHeads = m.heads();
      Sync.receiveSyncMessage(peer, state, m);
      send(peer, state, toLoam.out());
    }
    toLoam.out().close();
    // Loam may still answer the last frame; read to the end.
    while (Frames.read(fromLoam.in(), 1 << 20) != null) {
      // drained
    }
    loam.get(30, TimeUnit.SECONDS).ok();
    assertEquals("{\"fromLoam\":1,\"fromPeer\":2}\n", Cli.run("doc", "json", file).ok());
    assertEquals(peer.toJson() + "\n", Cli.run("doc", "json", file).ok());
  }

  private static void send(Document doc, SyncState state, OutputStream out) throws IOException {
    for (Optional<SyncMessage> m = Sync.generateSyncMessage(doc, state); m.isPresent();
        m = Sync.generateSyncMessage(doc, state)) {
      Frames.write(out, m.get().encode());
    }
  }

  /**
   * Two sync-stdio commands wired to each other through a relay, which ends the session (closes
   * both inputs) once the last messages of both sides name the same heads.
   */
  @Test
  void twoSyncStdioPeersWiredToEachOtherConverge() throws Exception {
    Path a = docFile("a.automerge", "a", 1);
    Path b = docFile("b.automerge", "b", 2);
    BytePipe toA = BytePipe.open();
    BytePipe fromA = BytePipe.open();
    BytePipe toB = BytePipe.open();
    BytePipe fromB = BytePipe.open();
    CompletableFuture<Cli.Result> peerA = start(toA.in(), fromA.out(), "doc", "sync-stdio", a);
    CompletableFuture<Cli.Result> peerB = start(toB.in(), fromB.out(), "doc", "sync-stdio", b);
    Relay relay = new Relay();
    CompletableFuture<Void> ab = CompletableFuture.runAsync(() -> relay.pump(fromA.in(), toB.out(), 0, toA.out()), THREADS);
    CompletableFuture<Void> ba = CompletableFuture.runAsync(() -> relay.pump(fromB.in(), toA.out(), 1, toB.out()), THREADS);
    peerA.get(30, TimeUnit.SECONDS).ok();
    peerB.get(30, TimeUnit.SECONDS).ok();
    ab.get(30, TimeUnit.SECONDS);
    ba.get(30, TimeUnit.SECONDS);
    assertEquals("{\"a\":1,\"b\":2}\n", Cli.run("doc", "json", a).ok());
    assertEquals(Cli.run("doc", "heads", a).ok(), Cli.run("doc", "heads", b).ok());
  }

  /** Forwards frames both ways and closes both inputs once both sides last announced the same heads. */
  private static final class Relay {
    private final Object lock = new Object();
    private final List<?>[] lastHeads = new List<?>[2];
    private boolean closed;

    void pump(InputStream from, OutputStream to, int side, OutputStream fromInput) {
      try {
        byte[] f;
        while ((f = Frames.read(from, 1 << 24)) != null) {
          synchronized (lock) {
            lastHeads[side] = SyncMessage.decode(f).heads();
            if (!closed) {
              Frames.write(to, f);
            }
            if (!closed && lastHeads[0] != null && lastHeads[0].equals(lastHeads[1])) {
              closed = true;
              to.close();
              fromInput.close();
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void sendsItsFirstMessageAtOnceAndSavesOnEndOfInput() throws Exception {
    Path file = Cli.fixture(dir, "basic.doc.automerge");
    byte[] before = Cli.bytes(file);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cli.runStdio(new ByteArrayInputStream(new byte[0]), out, "doc", "sync-stdio", file).ok();
    ByteArrayInputStream frames = new ByteArrayInputStream(out.toByteArray());
    SyncMessage first = SyncMessage.decode(Frames.read(frames, 1 << 20));
    assertEquals(Cli.manifest().get("basic").get("heads").get(0).asString(), first.heads().get(0).hex());
    assertNull(Frames.read(frames, 1 << 20), "one frame only");
    assertArrayEquals(before, Cli.bytes(file));
  }

  @Test
  void verboseDescribesTheSessionOnStderrOnly() {
    Path file = Cli.fixture(dir, "basic.doc.automerge");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cli.Result r = Cli.runStdio(new ByteArrayInputStream(new byte[0]), out, "doc", "sync-stdio", file, "-v");
    assertEquals(0, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().contains("session ended: received 0 messages (0 bytes), sent 1 messages"), r.err());
  }

  private String protocolError(byte[] input, Object... extra) throws IOException {
    Path file = Cli.fixture(dir, "basic.doc.automerge");
    byte[] before = Cli.bytes(file);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object[] args = concatArgs(new Object[] {"doc", "sync-stdio", file}, extra);
    Cli.Result r = Cli.runStdio(new ByteArrayInputStream(input), out, args);
    String line = r.failed();
    assertTrue(line.startsWith("loam: protocol error: "), line);
    assertArrayEquals(before, Cli.bytes(file), "FILE untouched");
    // Stdout carries whole frames only: the first message, and answers to valid frames before the bad one.
    ByteArrayInputStream frames = new ByteArrayInputStream(out.toByteArray());
    SyncMessage.decode(Frames.read(frames, 1 << 20));
    for (byte[] f = Frames.read(frames, 1 << 20); f != null; f = Frames.read(frames, 1 << 20)) {
      SyncMessage.decode(f);
    }
    return line;
  }

  private static Object[] concatArgs(Object[] a, Object[] b) {
    Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void anOversizedFrameIsAProtocolError() throws Exception {
    // A declared length of 2^31 - 1 is refused before anything is allocated.
    assertTrue(protocolError(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07})
        .contains("a frame longer than the limit of 67108864 bytes"));
    byte[] valid = frame(new byte[100]);
    assertTrue(protocolError(valid, "--max-message-bytes", "99").contains("limit of 99 bytes"));
  }

  @Test
  void aMalformedLengthIsAProtocolError() throws Exception {
    assertTrue(protocolError(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00}, "--max-message-bytes", "2147483647")
        .contains("longer than 5 LEB128 bytes"));
    assertTrue(protocolError(new byte[] {(byte) 0x85, 0x00}).contains("not in minimal LEB128 form"));
    assertTrue(protocolError(new byte[] {(byte) 0x85}).contains("ended inside a frame length"));
    assertTrue(protocolError(new byte[] {0x05, 0x42, 0x00}).contains("ended inside a frame (2 of 5 bytes)"));
  }

  @Test
  void aMalformedMessageIsAProtocolError() throws Exception {
    assertTrue(protocolError(frame(new byte[] {0x42, 0x07, 0x07})).contains("message 1 is malformed"));
    assertTrue(protocolError(frame(new byte[0])).contains("message 1 is malformed"));
    // A valid message first does not save anything either.
    Document d = Document.create();
    byte[] ok = Sync.generateSyncMessage(d, new SyncState()).orElseThrow().encode();
    assertTrue(protocolError(concat(frame(ok), frame(new byte[] {1, 2, 3}))).contains("message 2 is malformed"));
  }

  @Test
  void aMissingFileIsAnErrorBeforeAnythingIsSent() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cli.Result r = Cli.runStdio(new ByteArrayInputStream(new byte[0]), out, "doc", "sync-stdio", dir.resolve("nope"));
    assertTrue(r.failed().contains("no such file"));
    assertEquals(0, out.size());
  }
}
