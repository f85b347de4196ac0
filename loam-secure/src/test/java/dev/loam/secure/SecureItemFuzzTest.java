package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz target for the op and envelope decoders: any input either decodes to an
 * item whose encoding is exactly the input (one encoding per item) and that a log admits without
 * throwing, or raises {@link MalformedItemException}; anything else is a finding. Without {@code
 * JAZZER_FUZZ=1} it replays the committed corpus in
 * {@code src/test/resources/dev/loam/secure/SecureItemFuzzTestInputs/decode/} (valid items of every
 * kind and damaged copies), which is what CI runs.
 */
class SecureItemFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void decode(byte[] input) {
    SecureItem item;
    try {
      item = SecureItem.decode(input);
    } catch (MalformedItemException expected) {
      return;
    }
    assertArrayEquals(input, item.encoded().toByteArray());
    assertEquals(item, SecureItem.decode(item.encoded().toByteArray()));
    SecureLog.create(item.documentId()).admit(item);
  }
}
