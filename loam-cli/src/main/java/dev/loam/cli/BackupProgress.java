package dev.loam.cli;

import dev.loam.backup.Progress.Phase;

/**
 * Feeds a backup run's progress ({@link dev.loam.backup.Progress}) to the command's progress line.
 * Called on the run's thread; the line reads the latest state from its timer thread.
 */
final class BackupProgress implements dev.loam.backup.Progress {
  private final String what;
  private volatile String state = "starting";

  private BackupProgress(String what) {
    this.what = what;
  }

  /** A listener that keeps {@code line} describing the run as "{@code what}: phase done/total documents". */
  static BackupProgress to(Progress line, String what) {
    BackupProgress p = new BackupProgress(what);
    line.describe(p::describe);
    return p;
  }

  @Override
  public void update(Phase phase, long done, long total) {
    String verb = switch (phase) {
      case READ -> "reading";
      case CHECK -> "checking";
      case WRITE -> "writing";
    };
    state = verb + " " + done + "/" + total + " documents";
  }

  String describe() {
    return what + ": " + state;
  }
}
