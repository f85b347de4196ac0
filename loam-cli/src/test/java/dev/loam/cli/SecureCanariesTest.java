package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canary detector the secure end-to-end test relies on finds a canary in every form it claims to. */
class SecureCanariesTest {
  @TempDir Path dir;

  @Test
  void findsACanaryRawHexAndBase64AtEveryAlignment() throws Exception {
    String fixed = System.getenv("LOAM_TEST_SEED");
    long seed = fixed == null ? System.nanoTime() : Long.parseLong(fixed);
    Random random = new Random(seed);
    String canary = Canaries.fresh("t");
    byte[] raw = canary.getBytes(StandardCharsets.UTF_8);
    for (int prefix = 0; prefix < 6; prefix++) {
      byte[] around = new byte[prefix + raw.length + 5];
      random.nextBytes(around);
      System.arraycopy(raw, 0, around, prefix, raw.length);
      for (String encoded : new String[] {
          Base64.getEncoder().encodeToString(around), Base64.getUrlEncoder().encodeToString(around),
          HexFormat.of().formatHex(around), HexFormat.of().withUpperCase().formatHex(around)}) {
        assertTrue(Canaries.in("x" + encoded + "y", canary), "seed " + seed + ", prefix " + prefix + ": " + encoded);
      }
    }
    Files.write(dir.resolve("f.bin"), ("..." + canary + "...").getBytes(StandardCharsets.UTF_8));
    assertTrue(!Canaries.foundIn(dir, canary).isEmpty());
    assertTrue(Canaries.foundIn(dir, Canaries.fresh("other")).isEmpty());
    assertFalse(Canaries.in(canary.substring(0, canary.length() - 1), canary));
  }
}
