package dev.loam.cli;

import dev.loam.secure.Identity;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam id new FILE}: creates an identity file (mode 0600, never overwritten); prints its member id. */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = {"Create a new device identity in FILE (readable only by you) and print its member id.",
        "FILE must not exist: an identity is never overwritten. With a passphrase the file is sealed with it."})
final class IdNewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The identity file to create.")
  Path file;

  @Mixin Passphrase passphrase;

  @Override
  public Integer call() {
    Identity identity = Identity.generate();
    Optional<char[]> secret = passphrase.read();
    try {
      identity.save(file, secret);
    } finally {
      Passphrase.clear(secret);
    }
    spec.commandLine().getOut().print(identity.memberId() + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
