package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress line of long commands: rewritten in place from the current description, erased at the end. */
class ProgressTest {
  @Test
  void eachTickRewritesTheLineInPlaceAndClosingErasesIt() {
    StringWriter err = new StringWriter();
    BackupProgress backup;
    try (Progress progress = Progress.start(new PrintWriter(err, true), System.nanoTime(), false)) {
      backup = BackupProgress.to(progress, "backing up");
      backup.update(dev.loam.backup.Progress.Phase.READ, 0, 1);
      progress.show();
      backup.update(dev.loam.backup.Progress.Phase.WRITE, 12, 300);
      progress.show();
    }
    String first = "backing up: reading 0/1 documents (0 s)";
    String second = "backing up: writing 12/300 documents (0 s)";
    assertEquals("\r" + first + "\r" + second + "\r" + " ".repeat(second.length()) + "\r", err.toString());
  }

  @Test
  void aLineShorterThanTheLastIsPaddedOverIt() {
    StringWriter err = new StringWriter();
    try (Progress progress = Progress.start(new PrintWriter(err, true), System.nanoTime(), false)) {
      progress.describe(() -> "a longer description");
      progress.show();
      progress.describe(() -> "short");
      progress.show();
    }
    String longer = "a longer description (0 s)";
    String shorter = "short (0 s)";
    assertEquals("\r" + longer + "\r" + shorter + " ".repeat(longer.length() - shorter.length()) + "\r"
        + " ".repeat(longer.length()) + "\r", err.toString());
  }

  @Test
  void nothingIsPrintedWhenNoTickCame() {
    StringWriter err = new StringWriter();
    Progress.start(new PrintWriter(err, true), System.nanoTime(), false).close();
    assertEquals("", err.toString());
  }
}
