package dev.loam.cli;

import dev.loam.secure.Identity;
import dev.loam.secure.IdentityFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam id show FILE}: prints the member id of an identity file. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print the member id of the identity in FILE.",
        "A sealed file needs its passphrase."})
final class IdShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The identity file.")
  Path file;

  @Mixin Passphrase passphrase;

  @Override
  public Integer call() {
    Identity identity = load(file, passphrase);
    spec.commandLine().getOut().print(identity.memberId() + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Loads an identity file, asking {@code passphrase} only if it is sealed. */
  static Identity load(Path file, Passphrase passphrase) {
    List<char[]> given = new ArrayList<>(1);
    try {
      return Identity.load(file, () -> {
        Optional<char[]> secret = passphrase.read();
        secret.ifPresent(given::add);
        return secret;
      });
    } catch (IdentityFileException e) {
      throw switch (e.problem()) {
        case PASSPHRASE_NEEDED -> new CliException(file + " is sealed with a passphrase: " + Passphrase.howToGive(), e);
        case EXISTS, MISSING, WRONG_PASSPHRASE_OR_DAMAGED, NOT_AN_IDENTITY_FILE, IO -> e;
      };
    } finally {
      given.forEach(p -> Passphrase.clear(Optional.of(p)));
    }
  }
}
