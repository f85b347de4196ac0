package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import dev.loam.secure.crypto.Ed25519PublicKey;

/**
 * Coverage-guided fuzz target for the decoder of an envelope's decrypted plaintext (padding,
 * inflation with its size limit, payload, bound and declared actors, change heads): any input
 * either reads to a payload that reads back the same after sealing it again, or raises {@link
 * EnvelopeOpenException}; anything else is a finding. The author is fixed (the key of seed 0), so
 * the corpus can hold valid plaintexts. Without {@code JAZZER_FUZZ=1} it replays the committed
 * corpus in {@code src/test/resources/dev/loam/secure/EnvelopePlaintextFuzzTestInputs/read/}
 * (valid plaintexts and damaged copies), which is what CI runs.
 */
class EnvelopePlaintextFuzzTest {
  static final Ed25519PublicKey AUTHOR = Ed25519PrivateKey.fromSeed(new byte[32]).publicKey();

  @FuzzTest(maxDuration = "2m")
  void read(byte[] input) {
    EnvelopeCrypto.Opened opened;
    try {
      opened = EnvelopeCrypto.read(input, AUTHOR);
    } catch (EnvelopeOpenException expected) {
      return;
    }
    byte[] again = EnvelopeCrypto.pad(EnvelopeCrypto.deflate(opened.payload().encode()));
    assertEquals(opened, EnvelopeCrypto.read(again, AUTHOR));
  }
}
