package dev.loam.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loam id}: device identities, the keys a secure document's members are. */
@Command(
    name = "id",
    mixinStandardHelpOptions = true,
    description = {
      "Create and show device identities: a signing key and an encryption key kept in a file only its owner can read.",
      "Its public form, the member id, is one line of text (loam1...) to give to others.",
      "A passphrase seals the file: --passphrase-file PATH, or the environment variable " + Passphrase.ENV + "."
    })
final class IdCommand implements Runnable {
  /** Its subcommands, in the order its help lists them (added by {@link Main#commandLine}: all, or the one named). */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(
      IdNewCommand.class,
      IdShowCommand.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: new or show");
  }
}
