package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code loam serve}'s limits are checked before anything starts, and a bad one is named by its flag. */
class ServeOptionsTest {
  @Test
  void aLimitThatIsNotPositiveIsAUsageErrorNamingItsFlag() {
    assertRefused("--max-document-bytes 0: must be positive", "--max-document-bytes", "0");
    assertRefused("--max-document-bytes -5: must be positive", "--max-document-bytes", "-5");
    assertRefused("--max-message-bytes 0: must be positive", "--max-message-bytes", "0");
    assertRefused("--max-messages-per-second 0.0: must be positive", "--max-messages-per-second", "0");
  }

  private static void assertRefused(String message, String... limit) {
    String[] args = new String[limit.length + 3];
    args[0] = "serve";
    args[1] = "--port";
    args[2] = "0";
    System.arraycopy(limit, 0, args, 3, limit.length);
    Cli.Result r = Cli.run(args);
    assertEquals(2, r.code(), r.err());
    assertEquals("loam serve: " + message + " (see 'loam serve --help')", r.failed());
  }
}
