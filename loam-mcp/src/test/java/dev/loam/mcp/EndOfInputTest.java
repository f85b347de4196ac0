package dev.loam.mcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndOfInputTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void linesUpToTheLimitPassThroughAndTheEndIsAnnounced() throws Exception {
    EndOfInput in = new EndOfInput(new ByteArrayInputStream(bytes("12345\n12345\n")), 5);
    CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
      try {
        in.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertArrayEquals(bytes("12345\n12345\n"), in.readAllBytes());
    ended.get(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS);
    assertFalse(in.endedOnALongLine());
  }

  @Test
  void aLineLongerThanTheLimitEndsTheInputThere() throws IOException, InterruptedException {
    EndOfInput in = new EndOfInput(new ByteArrayInputStream(bytes("ok\n123456\nmore\n")), 5);
    byte[] buf = new byte[3];
    assertEquals(3, in.read(buf, 0, 3));
    assertArrayEquals(bytes("ok\n"), buf);
    assertEquals(-1, in.read(new byte[100], 0, 100), "the long line is never handed on");
    assertEquals(-1, in.read());
    assertTrue(in.endedOnALongLine());
    in.await(); // already ended: returns at once
  }
}
