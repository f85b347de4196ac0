package dev.loam.cli;

import dev.loam.repo.DocHandle;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureUrl;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam repo cat URL}: a stored document as one line of JSON, as {@code loam doc json} prints a
 * file. A secure document is shown as the identity of {@code --id} can read it (a removed member
 * still sees what was written before the removal); one it cannot read at all exits with status
 * {@value Main#DENIED} and prints no content.
 */
@Command(name = "cat", mixinStandardHelpOptions = true,
    description = {"Print a document of the folder as one line of JSON (as 'loam doc json').",
        "A secure document (loam-secure: URL) is read as the identity of --id (or LOAM_ID); exit status 3 if it may not read it."})
final class RepoCatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: or loam-secure: URL (or its id).")
  String url;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin IdOption id;

  @Override
  public Integer call() throws InterruptedException {
    Optional<SecureUrl> secure = SecureUrl.tryParse(url);
    String json = secure.isPresent() ? secureJson(secure.get()) : plainJson();
    spec.commandLine().getOut().print(json + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String plainJson() throws InterruptedException {
    DocumentId id = LocalRepo.parseDocument(url);
    try (LocalRepo local = LocalRepo.open(data, "loam repo cat", LocalRepo.Access.EXISTING, Optional.empty())) {
      return ready(local, id).toJson();
    }
  }

  private String secureJson(SecureUrl secureUrl) {
    Identity me = id.load("loam repo cat");
    try (LocalRepo local = LocalRepo.open(data, "loam repo cat", LocalRepo.Access.EXISTING, Optional.empty())) {
      SecureDocument doc = SecureDocs.open(SecureDocs.repo(local, me), secureUrl);
      if (!doc.canRead()) {
        throw SecureDocs.denied(doc, me, "read", secureUrl);
      }
      return doc.document().toJson();
    }
  }

  /** The handle of {@code id} once loaded; fails clearly if the folder does not have it. */
  static DocHandle ready(LocalRepo local, DocumentId id) throws InterruptedException {
    try {
      return local.repo().find(id).whenReady().get();
    } catch (ExecutionException e) {
      throw new CliException("the repo folder has no document " + id.toUrl());
    }
  }
}
