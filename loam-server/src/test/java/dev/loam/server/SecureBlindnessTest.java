package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.secure.Envelope;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureItem;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.secure.net.SecureSyncException;
import dev.loam.secure.net.SyncTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server blindness: canary strings members write never appear in the server's data folder (the
 * SQLite database and its WAL), in its log output, or in anything it sends a non-member, whether
 * raw, hex or base64. Members, meanwhile, read them (so the canaries were really written).
 */
class SecureBlindnessTest {
  @TempDir Path dir;

  /** The items of one document on one device, as a client's folder would hold them. */
  static final class ListTarget implements SyncTarget {
    final DocumentId doc;
    final List<SecureItem> local;
    final List<SecureItem> received = new ArrayList<>();

    ListTarget(DocumentId doc, List<SecureItem> local) {
      this.doc = doc;
      this.local = new ArrayList<>(local);
    }

    @Override
    public DocumentId documentId() {
      return doc;
    }

    @Override
    public List<SecureItem> localItems() {
      return List.copyOf(local);
    }

    @Override
    public void received(List<SecureItem> items) {
      received.addAll(items);
    }
  }

  /** Every way the canary could show up: raw, hex either case, base64 at each alignment. */
  static List<byte[]> forms(String canary) {
    byte[] raw = canary.getBytes(StandardCharsets.UTF_8);
    List<byte[]> out = new ArrayList<>();
    out.add(raw);
    out.add(HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
    out.add(HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[shift + raw.length];
      System.arraycopy(raw, 0, shifted, shift, raw.length);
      for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String b64 = enc.withoutPadding().encodeToString(shifted);
        // drop the characters that mix in the bytes around the canary
        int from = shift == 0 ? 0 : (shift == 1 ? 2 : 3);
        out.add(b64.substring(from, b64.length() - 2).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out;
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static boolean leaks(byte[] bytes, List<String> canaries) {
    for (String c : canaries) {
      for (byte[] form : forms(c)) {
        if (contains(bytes, form)) {
          return true;
        }
      }
    }
    return false;
  }

  static byte[] folder(Path folder) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        all.writeBytes(Files.readAllBytes(p));
        all.write(0);
      }
    }
    return all.toByteArray();
  }

  /** Writes to both streams. */
  private static PrintStream tee(PrintStream original, OutputStream copy) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        synchronized (copy) {
          try {
            copy.write(b);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        synchronized (copy) {
          try {
            copy.write(b, off, len);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }, true);
  }

  @Test
  void canariesNeverReachTheServersFilesLogsOrANonMember() throws Exception {
    List<String> canaries = List.of("canary-" + java.util.UUID.randomUUID(), "kanarie-" + java.util.UUID.randomUUID());
    assertTrue(leaks(("log: " + Base64.getEncoder().encodeToString(("x" + canaries.get(1)).getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.US_ASCII), canaries), "the scanner finds a shifted base64 copy");
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream err = System.err;
    PrintStream out = System.out;
    System.setErr(tee(err, logs));
    System.setOut(tee(out, logs));
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    SecureFixture f = new SecureFixture();
    Identity carol = f.identity();
    Identity mallory = f.identity();
    List<byte[]> toMallory;
    try (LoamServer server = LoamServer.builder().port(0).storage(SqliteStorageAdapter.open(data.resolve("loam.db")))
        .build().start()) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port());
      MembershipOp.Add addCarol = f.add(f.alice, SecureFixture.on(f.genesis), carol, Level.EDIT);
      Envelope aliceWrites = f.envelope(f.alice, List.of(), SecureFixture.on(addCarol), canaries.get(0));
      try (SecureSyncClient alice = SecureSyncClient.connect(uri, f.alice, Duration.ofSeconds(10))) {
        alice.sync(new ListTarget(f.doc, List.of(f.genesis, addCarol, aliceWrites)));
      }
      Envelope carolWrites = f.envelope(carol, List.of(aliceWrites.id()), SecureFixture.on(addCarol), canaries.get(1));
      ListTarget carols = new ListTarget(f.doc, List.of(carolWrites));
      try (SecureSyncClient c = SecureSyncClient.connect(uri, carol, Duration.ofSeconds(10))) {
        c.sync(carols);
      }
      // Carol, a member, reads Alice's canary from what the server gave her
      assertTrue(carols.received.stream().anyMatch(i -> i instanceof Envelope e && f.open(e).equals(canaries.get(0))));

      try (SecureSocket m = SecureSocket.authenticated(server.port(), mallory, System.currentTimeMillis())) {
        assertEquals(new SecureSocket.Pulled(List.of(), 0), m.pullAll(m.pull(mallory, f.doc, 0, true, System.currentTimeMillis())));
        m.send(m.pull(mallory, f.doc, 0, true, System.currentTimeMillis() + 3_600_000)); // refused: logged
        m.refused();
        toMallory = List.copyOf(m.received);
      }
      try (SecureSyncClient m = SecureSyncClient.connect(uri, mallory, Duration.ofSeconds(10))) {
        SecureSyncException e = assertThrows(SecureSyncException.class, () -> m.sync(new ListTarget(f.doc, List.of())));
        assertEquals(SecureSyncException.Problem.UNAVAILABLE, e.problem());
        assertFalse(leaks(e.getMessage().getBytes(StandardCharsets.UTF_8), canaries));
      }
      assertFalse(leaks(folder(data), canaries), "the data folder while the server runs (database and WAL)");
      assertTrue(Files.list(data).anyMatch(p -> p.getFileName().toString().endsWith("-wal")), "a WAL file was scanned");
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    for (byte[] frame : toMallory) {
      assertFalse(leaks(frame, canaries), "a frame sent to a non-member");
    }
    assertFalse(leaks(folder(data), canaries), "the data folder after the server stopped");
    byte[] logged = logs.toByteArray();
    assertTrue(new String(logged, StandardCharsets.UTF_8).contains("refusing secure pull"), "the server's log was captured");
    assertFalse(leaks(logged, canaries), "the server's log output");
    try (SqliteStorageAdapter copy = SqliteStorageAdapter.open(data.resolve("loam.db"))) {
      assertEquals(Set.of(f.doc), dev.loam.secure.SecureStore.on(copy).documents(), "the envelopes are there, opaque");
    }
  }
}
