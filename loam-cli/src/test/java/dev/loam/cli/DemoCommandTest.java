package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void showsTheMergedCopiesAgreeing() {
    String out = Cli.run("demo").ok();
    assertTrue(out.contains("Both copies are equal: true; same heads: true."), out);
    assertTrue(out.contains("\"done\":3"), out);
    assertEquals(out, Cli.run("demo").ok(), "the demo is deterministic");
  }

  @Test
  void printsUsageWithoutACommand() {
    assertEquals(2, Cli.run().code());
    assertEquals(0, Cli.run("--help").code());
    assertEquals(0, Cli.run("doc", "edit", "--help").code());
  }
}
