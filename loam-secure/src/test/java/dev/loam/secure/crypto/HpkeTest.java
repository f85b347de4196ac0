package dev.loam.secure.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HpkeTest {
  private static final List<Vectors.Vector> A21 = Vectors.load("hpke-rfc9180-a2.txt");
  private static final Vectors.Vector SETUP = A21.get(0);
  private static final byte[] PT = "Beauty is truth, truth beauty".getBytes(StandardCharsets.US_ASCII);

  private static Map<Integer, Vectors.Vector> encryptions() {
    return A21.stream()
        .filter(v -> v.values().containsKey("seq"))
        .collect(Collectors.toMap(v -> v.integer("seq"), Function.identity()));
  }

  private static List<Vectors.Vector> exports() {
    return A21.stream().filter(v -> v.values().containsKey("exporter_context")).toList();
  }

  private static byte[] aad(int seq) {
    return ("Count-" + seq).getBytes(StandardCharsets.US_ASCII);
  }

  private static HpkeSender sender() {
    X25519PublicKey recipient = X25519PublicKey.fromBytes(SETUP.hex("pkRm"));
    return Hpke.setupBaseSender(recipient, SETUP.hex("info"), Hpke.deriveKeyPair(SETUP.hex("ikmE")));
  }

  private static X25519PrivateKey recipient() {
    return Hpke.deriveKeyPair(SETUP.hex("ikmR"));
  }

  @Test
  void theVectorIsForThisSuiteInBaseMode() {
    assertEquals(0, SETUP.integer("mode"));
    assertEquals(Hpke.KEM_ID, SETUP.integer("kem_id"));
    assertEquals(Hpke.KDF_ID, SETUP.integer("kdf_id"));
    assertEquals(Hpke.AEAD_ID, SETUP.integer("aead_id"));
    assertArrayEquals(SETUP.hex("info"), "Ode on a Grecian Urn".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void deriveKeyPairGivesTheVectorKeys() {
    X25519PrivateKey ephemeral = Hpke.deriveKeyPair(SETUP.hex("ikmE"));
    assertArrayEquals(SETUP.hex("skEm"), ephemeral.toBytes());
    assertArrayEquals(SETUP.hex("pkEm"), ephemeral.publicKey().toBytes());
    assertArrayEquals(SETUP.hex("skRm"), recipient().toBytes());
    assertArrayEquals(SETUP.hex("pkRm"), recipient().publicKey().toBytes());
  }

  @Test
  void encapAndDecapGiveTheVectorSharedSecret() {
    Hpke.Encapsulation encapsulation =
        Hpke.encap(X25519PublicKey.fromBytes(SETUP.hex("pkRm")), Hpke.deriveKeyPair(SETUP.hex("ikmE")));
    assertArrayEquals(SETUP.hex("enc"), encapsulation.enc());
    assertArrayEquals(SETUP.hex("shared_secret"), encapsulation.sharedSecret());
    assertArrayEquals(SETUP.hex("shared_secret"), Hpke.decap(SETUP.hex("enc"), recipient()));
  }

  @Test
  void theKeyScheduleGivesTheVectorKeys() {
    assertArrayEquals(SETUP.hex("key_schedule_context"), Hpke.keyScheduleContext(SETUP.hex("info")));
    byte[] secret = Hpke.labeledExtract(Hpke.HPKE_SUITE, SETUP.hex("shared_secret"), "secret", new byte[0]);
    assertArrayEquals(SETUP.hex("secret"), secret);
    for (HpkeKeySchedule schedule : List.of(sender().schedule(), receiver().schedule())) {
      assertArrayEquals(SETUP.hex("key"), schedule.key());
      assertArrayEquals(SETUP.hex("base_nonce"), schedule.baseNonce());
      assertArrayEquals(SETUP.hex("exporter_secret"), schedule.exporterSecret());
    }
    assertArrayEquals(SETUP.hex("enc"), sender().enc());
  }

  private static HpkeReceiver receiver() {
    return Hpke.setupBaseReceiver(SETUP.hex("enc"), recipient(), SETUP.hex("info"));
  }

  @Test
  void sealsTheVectorCiphertextsInSequence() {
    Map<Integer, Vectors.Vector> expected = encryptions();
    assertEquals(6, expected.size());
    HpkeSender sender = sender();
    for (int seq = 0; seq <= 256; seq++) {
      byte[] ciphertext = sender.seal(aad(seq), PT);
      Vectors.Vector v = expected.get(seq);
      if (v != null) {
        assertArrayEquals(v.hex("pt"), PT);
        assertArrayEquals(v.hex("aad"), aad(seq));
        assertArrayEquals(v.hex("nonce"), sender.schedule().nonce(seq), "nonce " + seq);
        assertArrayEquals(v.hex("ct"), ciphertext, "ciphertext " + seq);
      }
    }
  }

  @Test
  void opensTheVectorCiphertextsInSequence() {
    Map<Integer, Vectors.Vector> expected = encryptions();
    HpkeSender sender = sender();
    HpkeReceiver receiver = receiver();
    for (int seq = 0; seq <= 256; seq++) {
      Vectors.Vector v = expected.get(seq);
      byte[] ciphertext = v != null ? v.hex("ct") : sender.seal(aad(seq), PT);
      if (v != null) {
        sender.seal(aad(seq), PT);
      }
      assertArrayEquals(PT, receiver.open(aad(seq), ciphertext), "message " + seq);
    }
  }

  @Test
  void exportsTheVectorValues() {
    List<Vectors.Vector> exports = exports();
    assertEquals(3, exports.size());
    for (Vectors.Vector v : exports) {
      byte[] context = v.hex("exporter_context");
      assertArrayEquals(v.hex("exported_value"), sender().export(context, v.integer("length")), v.toString());
      assertArrayEquals(v.hex("exported_value"), receiver().export(context, v.integer("length")), v.toString());
    }
  }

  @Test
  void aFailedOpenDoesNotUseUpTheSequenceNumber() {
    Vectors.Vector first = encryptions().get(0);
    HpkeReceiver receiver = receiver();
    byte[] tampered = first.hex("ct");
    tampered[0] ^= 1;
    assertThrows(AuthenticationException.class, () -> receiver.open(aad(0), tampered));
    assertThrows(AuthenticationException.class, () -> receiver.open(aad(1), first.hex("ct")));
    assertArrayEquals(PT, receiver.open(aad(0), first.hex("ct")));
    // Replaying message 0 as message 1 fails: its nonce belongs to sequence number 0.
    assertThrows(AuthenticationException.class, () -> receiver.open(aad(0), first.hex("ct")));
  }

  @Test
  void singleShotSealOpensOnlyForItsRecipientInfoAndAad() {
    X25519PrivateKey recipient = X25519PrivateKey.generate();
    byte[] info = "doc 1, epoch 2, member 3".getBytes(StandardCharsets.UTF_8);
    byte[] aad = "header".getBytes(StandardCharsets.UTF_8);
    byte[] epochKey = new byte[32];
    new java.security.SecureRandom().nextBytes(epochKey);
    byte[] sealed = Hpke.seal(recipient.publicKey(), info, aad, epochKey);
    assertEquals(Hpke.ENC_LENGTH + epochKey.length + ChaCha20Poly1305.TAG_LENGTH, sealed.length);
    assertArrayEquals(epochKey, Hpke.open(recipient, info, aad, sealed));

    byte[] otherInfo = "doc 1, epoch 2, member 4".getBytes(StandardCharsets.UTF_8);
    assertThrows(AuthenticationException.class, () -> Hpke.open(recipient, otherInfo, aad, sealed));
    assertThrows(AuthenticationException.class, () -> Hpke.open(recipient, info, new byte[0], sealed));
    assertThrows(AuthenticationException.class, () -> Hpke.open(X25519PrivateKey.generate(), info, aad, sealed));
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x40;
      assertThrows(CryptoException.class, () -> Hpke.open(recipient, info, aad, tampered), "byte " + i);
    }
    assertThrows(CryptoException.class, () -> Hpke.open(recipient, info, aad, new byte[Hpke.ENC_LENGTH - 1]));
  }

  @Test
  void refusesShortIkmAndSmallOrderEncapsulatedKeys() {
    assertThrows(CryptoException.class, () -> Hpke.deriveKeyPair(new byte[31]));
    assertThrows(CryptoException.class,
        () -> Hpke.setupBaseReceiver(new byte[Hpke.ENC_LENGTH], recipient(), SETUP.hex("info")));
    assertThrows(CryptoException.class, () -> Hpke.setupBaseReceiver(new byte[16], recipient(), SETUP.hex("info")));
  }
}
