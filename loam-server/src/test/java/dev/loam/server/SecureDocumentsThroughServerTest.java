package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.secure.AccessDeniedException;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.secure.net.SecureSyncException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story over a real server with real envelopes (SecureDocument's sealing): Alice
 * writes a secret, Bob (not a member) gets nothing, then reads once shared read-only and cannot
 * edit, Carol edits, Alice removes Bob and writes a new secret that Bob cannot read even with a
 * copy of the server's whole database; the server's files never hold a secret.
 */
class SecureDocumentsThroughServerTest {
  @TempDir Path dir;

  private static void sync(URI uri, SecureRepo repo, SecureDocument doc) {
    try (SecureSyncClient c = SecureSyncClient.connect(uri, repo.identity(), Duration.ofSeconds(10))) {
      c.sync(repo.syncTarget(doc));
    }
  }

  private static String json(SecureDocument doc) {
    return doc.document().toJson();
  }

  @Test
  void sharedReadRemovedAndNeverReadableByTheServer() throws Exception {
    String secret1 = "first-secret-" + UUID.randomUUID();
    String secret2 = "second-secret-" + UUID.randomUUID();
    Identity alice = Identity.generate();
    Identity bob = Identity.generate();
    Identity carol = Identity.generate();
    SecureRepo alices = SecureRepo.of(new InMemoryStorageAdapter(), alice);
    SecureRepo bobs = SecureRepo.of(new InMemoryStorageAdapter(), bob);
    SecureRepo carols = SecureRepo.of(new InMemoryStorageAdapter(), carol);
    dev.loam.repo.id.DocumentId id;
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    try (LoamServer server = LoamServer.builder().port(0).storage(SqliteStorageAdapter.open(data.resolve("loam.db")))
        .build().start()) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port());
      SecureDocument a = alices.create();
      id = a.id();
      a.document().put(ObjId.ROOT, "secret", ScalarValue.of(secret1));
      alices.save(a);
      sync(uri, alices, a);

      SecureDocument b = bobs.openOrEmpty(a.id());
      SecureSyncException outsider = assertThrows(SecureSyncException.class, () -> sync(uri, bobs, b));
      assertEquals(SecureSyncException.Problem.UNAVAILABLE, outsider.problem());
      assertEquals(List.of(), b.items());

      a.share(bob.memberId(), Level.READ);
      a.share(carol.memberId(), Level.EDIT);
      alices.save(a);
      sync(uri, alices, a);
      sync(uri, bobs, b);
      assertTrue(json(b).contains(secret1), json(b));
      b.document().put(ObjId.ROOT, "bob", ScalarValue.of("was here"));
      assertThrows(AccessDeniedException.class, () -> bobs.save(b));

      SecureDocument c = carols.openOrEmpty(a.id());
      sync(uri, carols, c);
      c.document().put(ObjId.ROOT, "carol", ScalarValue.of("edited"));
      carols.save(c);
      sync(uri, carols, c);
      sync(uri, alices, a);
      assertTrue(json(a).contains("edited"), json(a));

      a.unshare(bob.memberId());
      a.document().put(ObjId.ROOT, "secret", ScalarValue.of(secret2));
      alices.save(a);
      sync(uri, alices, a);
      SecureSyncException removed = assertThrows(SecureSyncException.class, () -> sync(uri, bobs, b));
      assertEquals(SecureSyncException.Problem.UNAVAILABLE, removed.problem());
      assertTrue(json(b).contains(secret1), "removal protects new content, not old");
      assertFalse(json(b).contains(secret2));

      byte[] files = SecureBlindnessTest.folder(data);
      assertFalse(SecureBlindnessTest.leaks(files, List.of(secret1, secret2)), "the server's files hold no secret");
    }
    Path copy = Files.createDirectories(dir.resolve("copy"));
    try (var files = Files.list(data)) {
      for (Path p : files.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (SqliteStorageAdapter db = SqliteStorageAdapter.open(copy.resolve("loam.db"))) {
      assertEquals(java.util.Set.of(id), SecureRepo.of(db, bob).documents());
      SecureDocument bobsView = SecureRepo.of(db, bob).open(id).orElseThrow();
      assertFalse(bobsView.document().toJson().contains(secret2), "the new secret stays closed to the removed reader");
      SecureDocument alicesView = SecureRepo.of(db, alice).open(bobsView.id()).orElseThrow();
      assertTrue(alicesView.document().toJson().contains(secret2), "a member reads it from the same copy");
      assertTrue(alicesView.document().toJson().contains("edited"));
    }
  }
}
