package dev.loam.cli;

import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam repo members URL --id FILE}: the current members of a secure document, one a line
 * ({@code MEMBER-ID LEVEL}), highest level first, then by member id. The membership log is not
 * secret (the server needs it to authorize), so any identity whose folder holds the document may
 * list it.
 */
@Command(name = "members", mixinStandardHelpOptions = true,
    description = {"Print the current members of a secure document, one a line: member id, level (highest level first).",
        "As the folder knows them: run 'loam sync' first to see the server's latest."})
final class RepoMembersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The secure document's loam-secure: URL.")
  String url;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin IdOption id;

  @Override
  public Integer call() {
    SecureUrl secureUrl = SecureDocs.url(url, "loam repo members");
    Identity me = id.load("loam repo members");
    List<Map.Entry<MemberId, Level>> members;
    try (LocalRepo local = LocalRepo.open(data, "loam repo members", LocalRepo.Access.EXISTING, Optional.empty())) {
      SecureDocument doc = SecureDocs.open(SecureDocs.repo(local, me), secureUrl);
      members = new ArrayList<>(doc.members().entrySet());
    }
    members.sort(Comparator.<Map.Entry<MemberId, Level>, Level>comparing(Map.Entry::getValue).reversed()
        .thenComparing(e -> e.getKey().toString()));
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<MemberId, Level> e : members) {
      out.print(e.getKey() + " " + e.getValue().label() + "\n");
    }
    out.flush();
    return 0;
  }
}
