package dev.loam.secure.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureStore;
import dev.loam.secure.net.SecureProtocolException.Problem;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.cbor.CBORMapper;

class SecureMessageTest {
  private static final CBORMapper CBOR = CBORMapper.builder().build();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Identity ALICE = Identity.generate(RANDOM);
  private static final DocumentId DOC = DocumentId.random();

  private static Bytes random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return Bytes.wrap(b);
  }

  private static SecureMessage.Challenge challenge() {
    return new SecureMessage.Challenge(random(32), "storage-1");
  }

  @Test
  void everyMessageRoundTrips() {
    SecureMessage.Challenge c = challenge();
    List<SecureMessage> all = List.of(
        c,
        SecureMessage.Auth.sign(ALICE.signingKey(), c, 1_700_000_000_000L),
        new SecureMessage.Authenticated(),
        SecureMessage.Pull.sign(ALICE.signingKey(), c.nonce(), DOC, 7, true, random(32), 1_700_000_000_000L, "storage-1"),
        new SecureMessage.Items(DOC, List.of(new SecureStore.StoredBytes(1, random(100)), new SecureStore.StoredBytes(2, random(1)))),
        new SecureMessage.Pulled(DOC, 2),
        new SecureMessage.Push(DOC, List.of(random(10), random(20))),
        new SecureMessage.Pushed(DOC, List.of(0, 2), List.of(new SecureMessage.Rejection(1, "not an editor"))),
        new SecureMessage.Error("no"));
    for (SecureMessage m : all) {
      assertEquals(m, SecureMessage.decode(m.encode()), m.type());
    }
  }

  @Test
  void signaturesCoverEveryFieldAndAPullIsBoundToItsConnection() {
    SecureMessage.Challenge c = challenge();
    SecureMessage.Auth auth = SecureMessage.Auth.sign(ALICE.signingKey(), c, 5);
    assertTrue(auth.verifies());
    assertFalse(new SecureMessage.Auth(auth.member(), auth.nonce(), 6, auth.audience(), auth.signature()).verifies());
    assertFalse(new SecureMessage.Auth(auth.member(), auth.nonce(), 5, "other", auth.signature()).verifies());
    assertFalse(new SecureMessage.Auth(auth.member(), random(32), 5, auth.audience(), auth.signature()).verifies());
    assertFalse(new SecureMessage.Auth(Identity.generate(RANDOM).signingKey().publicKey(), auth.nonce(), 5, auth.audience(),
        auth.signature()).verifies());

    SecureMessage.Pull pull = SecureMessage.Pull.sign(ALICE.signingKey(), c.nonce(), DOC, 3, false, random(32), 5, "a");
    assertTrue(pull.verifies(ALICE.signingKey().publicKey(), c.nonce()));
    assertFalse(pull.verifies(ALICE.signingKey().publicKey(), random(32)), "another connection's challenge");
    assertFalse(new SecureMessage.Pull(DOC, 4, false, pull.requestNonce(), 5, "a", pull.signature())
        .verifies(ALICE.signingKey().publicKey(), c.nonce()));
    assertFalse(new SecureMessage.Pull(DOC, 3, true, pull.requestNonce(), 5, "a", pull.signature())
        .verifies(ALICE.signingKey().publicKey(), c.nonce()));
    assertFalse(new SecureMessage.Pull(DocumentId.random(), 3, false, pull.requestNonce(), 5, "a", pull.signature())
        .verifies(ALICE.signingKey().publicKey(), c.nonce()));
  }

  private static Problem problem(byte[] frame) {
    return assertThrows(SecureProtocolException.class, () -> SecureMessage.decode(frame)).problem();
  }

  private static byte[] map(Map<String, Object> fields) {
    return CBOR.writeValueAsBytes(fields);
  }

  private static Map<String, Object> pulled() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "pulled");
    m.put("documentId", DOC.toString());
    m.put("cursor", 3);
    return m;
  }

  @Test
  void badFramesFailWithTypedProblems() {
    assertEquals(Problem.NOT_A_MAP, problem(new byte[0]));
    assertEquals(Problem.NOT_A_MAP, problem(new byte[] {(byte) 0xff}));
    assertEquals(Problem.NOT_A_MAP, problem(CBOR.writeValueAsBytes(List.of(1, 2))));
    assertEquals(Problem.TOO_LARGE, problem(new byte[SecureMessage.MAX_FRAME_BYTES + 1]));
    assertEquals(Problem.UNKNOWN_TYPE, problem(map(Map.of("type", "nope"))));
    assertEquals(Problem.MISSING_FIELD, problem(map(Map.of("documentId", DOC.toString()))));
    Map<String, Object> m = pulled();
    m.remove("cursor");
    assertEquals(Problem.MISSING_FIELD, problem(map(m)));
    m = pulled();
    m.put("cursor", "three");
    assertEquals(Problem.BAD_FIELD, problem(map(m)));
    m = pulled();
    m.put("cursor", -1);
    assertEquals(Problem.BAD_FIELD, problem(map(m)));
    m = pulled();
    m.put("documentId", "not a document");
    assertEquals(Problem.BAD_FIELD, problem(map(m)));
    Map<String, Object> push = new LinkedHashMap<>();
    push.put("type", "push");
    push.put("documentId", DOC.toString());
    push.put("items", Collections.nCopies(SecureMessage.MAX_ITEMS + 1, new byte[] {1}));
    assertEquals(Problem.TOO_LARGE, problem(map(push)));
    push.put("items", List.of("text, not bytes"));
    assertEquals(Problem.BAD_FIELD, problem(map(push)));
    Map<String, Object> challenge = new LinkedHashMap<>();
    challenge.put("type", "challenge");
    challenge.put("nonce", new byte[31]);
    challenge.put("audience", "a");
    assertEquals(Problem.BAD_FIELD, problem(map(challenge)));
    Map<String, Object> auth = new LinkedHashMap<>(Map.of("type", "auth", "member", new byte[32], "nonce", new byte[32],
        "timestamp", 1, "audience", "a", "signature", new byte[64]));
    auth.put("member", new byte[] {1, 2, 3});
    assertEquals(Problem.BAD_FIELD, problem(map(auth)));
  }

  @Test
  void randomAndMutatedFramesNeverThrowAnythingButTheProtocolException() {
    byte[] valid = new SecureMessage.Pushed(DOC, List.of(0), List.of(new SecureMessage.Rejection(1, "x"))).encode();
    seeds().forEach(seed -> {
      Random r = new Random(seed);
      List<byte[]> frames = new ArrayList<>();
      byte[] noise = new byte[r.nextInt(64)];
      r.nextBytes(noise);
      frames.add(noise);
      byte[] mutated = valid.clone();
      for (int i = 0; i < 1 + r.nextInt(4); i++) {
        mutated[r.nextInt(mutated.length)] = (byte) r.nextInt(256);
      }
      frames.add(mutated);
      frames.add(java.util.Arrays.copyOf(valid, r.nextInt(valid.length)));
      for (byte[] f : frames) {
        try {
          SecureMessage.decode(f);
        } catch (SecureProtocolException expected) {
          // typed: fine
        } catch (RuntimeException e) {
          throw new AssertionError("seed " + seed + " (LOAM_TEST_SEED=" + seed + "): " + e, e);
        }
      }
    });
  }

  private static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, Long.getLong("loam.seeds", 200) * 10);
  }

  @Test
  void theEndpointIsTheSecurePathUnderTheBaseUrl() {
    assertEquals("ws://h:1/loam-secure/v1", SecureSyncClient.endpoint(java.net.URI.create("ws://h:1")).toString());
    assertEquals("ws://h:1/loam-secure/v1", SecureSyncClient.endpoint(java.net.URI.create("ws://h:1/")).toString());
    assertEquals("wss://h/sync/loam-secure/v1", SecureSyncClient.endpoint(java.net.URI.create("wss://h/sync/")).toString());
    assertEquals("ws://h:1/loam-secure/v1", SecureSyncClient.endpoint(java.net.URI.create("ws://h:1/loam-secure/v1")).toString());
  }
}
