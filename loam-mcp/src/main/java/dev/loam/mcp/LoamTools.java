package dev.loam.mcp;

import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import dev.loam.Value;
import dev.loam.cli.CliException;
import dev.loam.cli.EditOp;
import dev.loam.cli.LocalRepo;
import dev.loam.cli.SearchOutput;
import dev.loam.cli.SecureDocs;
import dev.loam.cli.SecureSearch;
import dev.loam.repo.DocHandle;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageKey;
import dev.loam.search.InvalidQueryException;
import dev.loam.search.Progress;
import dev.loam.search.SearchHit;
import dev.loam.search.SearchIndex;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureUrl;
import dev.loam.undo.Revert;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each tool of {@code loam mcp} does, on one repo folder: arguments in (checked against {@link
 * Limits}), JSON text out. Plain documents are the folder's {@link dev.loam.repo.Repo}'s; with an
 * identity, secure documents ({@code loam-secure:} URLs) are opened as that identity, which must
 * hold {@code read} to read and {@code edit} to write. Every change is made as the process's
 * assistant actor ({@link AssistantActors}) with a message starting {@value #MESSAGE_PREFIX}. A
 * refused call is a {@link ToolException} and writes nothing. Thread-safe: calls run one at a time.
 */
final class LoamTools {
  /** The start of every assistant change's message. */
  static final String MESSAGE_PREFIX = "[assistant] ";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final LocalRepo local;
  private final Path data;
  private final SearchIndex index;
  private final AssistantActors actors;
  private final Optional<Identity> me;
  private final Duration findTimeout;
  private final boolean synced;
  /** Documents found ready once: the repo keeps their handles, storage need not be asked again. Guarded by this. */
  private final Set<DocumentId> found = new java.util.HashSet<>();

  /**
   * @param synced whether the folder syncs with a server: a document the folder lacks is then asked
   *     of the server (waiting at most {@code findTimeout}) instead of being refused at once
   */
  LoamTools(LocalRepo local, Path data, SearchIndex index, AssistantActors actors, Optional<Identity> me,
      boolean synced, Duration findTimeout) {
    this.local = local;
    this.data = data;
    this.index = index;
    this.actors = actors;
    this.me = me;
    this.synced = synced;
    this.findTimeout = findTimeout;
  }

  /** A document of the folder as a tool sees it: a plain one's handle, or a secure one opened as the identity. */
  sealed interface Target {
    String url();
  }

  record Plain(DocHandle handle) implements Target {
    @Override
    public String url() {
      return handle.url().toString();
    }
  }

  record Secure(SecureRepo repo, SecureDocument doc) implements Target {
    @Override
    public String url() {
      return doc.url().toString();
    }
  }

  /** A document for {@code list_documents} and the resource list. */
  record Listed(String url, Optional<String> title) {}

  // ---- the tools ----

  /** {@code list_documents {}}: {@code [{url, title?}]}, plain documents first, each group by URL. */
  synchronized String listDocuments() {
    ArrayNode a = JSON.createArrayNode();
    for (Listed d : documents()) {
      ObjectNode o = a.addObject();
      o.put("url", d.url());
      d.title().ifPresent(t -> o.put("title", t));
    }
    return a.toString();
  }

  /** The documents an assistant may read: the folder's plain ones, and the secure ones the identity can read. */
  synchronized List<Listed> documents() {
    List<Listed> out = new ArrayList<>();
    for (DocumentId id : local.storedIds()) {
      Optional<Plain> p = findPlain(id);
      p.ifPresent(t -> out.add(new Listed(t.url(), t.handle().read(LoamTools::title))));
    }
    Optional<SecureRepo> secure = secureRepo();
    if (secure.isPresent()) {
      List<DocumentId> ids = new ArrayList<>(secure.get().documents());
      ids.sort(Comparator.comparing(DocumentId::toString));
      for (DocumentId id : ids) {
        secure.get().open(id).filter(SecureDocument::canRead)
            .ifPresent(d -> out.add(new Listed(d.url().toString(), title(d.document()))));
      }
    }
    return out;
  }

  /** {@code read_document {url, heads?}}: the document's JSON, as of {@code heads} if given. */
  synchronized String readDocument(Args a) {
    Target t = resolve(a.string("url", Limits.MAX_URL_CHARS));
    Optional<Heads> heads = a.has("heads") && a.raw("heads") != null
        ? Optional.of(heads(a.strings("heads", Limits.MAX_HASHES, 64))) : Optional.empty();
    return read(t, d -> {
      if (heads.isEmpty()) {
        return d.toJson();
      }
      requireKnown(d, heads.get().hashes(), "heads");
      return d.toJson(heads.get());
    });
  }

  /** The JSON of the document at {@code url} now (a resource's contents). */
  synchronized String json(String url) {
    return read(resolve(url), Document::toJson);
  }

  /** {@code search_documents {query, limit?}}: hits as {@code loam search --json} prints them, best first. */
  synchronized String searchDocuments(Args a) {
    String query = a.string("query", Limits.MAX_QUERY_CHARS);
    int limit = (int) a.optInteger("limit", 1, Limits.MAX_SEARCH_LIMIT).orElse(Limits.DEFAULT_SEARCH_LIMIT);
    List<SearchOutput.Found<SearchHit>> hits = new ArrayList<>();
    try {
      index.search(query, limit).forEach(h -> hits.add(new SearchOutput.Found<>(h.url().toString(), h)));
      if (me.isPresent()) {
        // the secure documents' plaintext index, brought up to date by heads for this search
        try (SecureSearch s = SecureSearch.open(local, data, me.get(), false, Progress.NONE)) {
          s.index().search(query, limit).forEach(h -> hits.add(new SearchOutput.Found<>(SecureSearch.url(h.url().documentId()), h)));
        }
      }
    } catch (InvalidQueryException e) {
      throw new ToolException("invalid query: " + e.getMessage());
    }
    hits.sort(Comparator.comparingDouble((SearchOutput.Found<SearchHit> f) -> f.hit().score()).reversed());
    return new SearchOutput(true, false).hits(hits.subList(0, Math.min(limit, hits.size()))).strip();
  }

  /** {@code edit_document {url, message, operations}}: one change of all the operations; {@code {heads, change}}. */
  synchronized String editDocument(Args a) {
    String url = a.string("url", Limits.MAX_URL_CHARS);
    String message = a.string("message", Limits.MAX_MESSAGE_CHARS);
    List<EditOp> ops = Operations.parse(a.list("operations", Limits.MAX_OPERATIONS));
    Target t = resolve(url);
    Optional<ChangeHash> change = write(t, message, tx -> {
      for (int i = 0; i < ops.size(); i++) {
        try {
          ops.get(i).apply(tx); // fails with the CLI's message, e.g. "--put /a/b: no such key: /a"
        } catch (CliException e) {
          throw new ToolException("operations[" + i + "]: " + e.getMessage(), e);
        }
      }
    });
    return result(t, change);
  }

  /** {@code document_history {url, limit?}}: {@code [{hash, actor, time, message, byAssistant}]}, newest first. */
  synchronized String documentHistory(Args a) {
    Target t = resolve(a.string("url", Limits.MAX_URL_CHARS));
    int limit = (int) a.optInteger("limit", 1, Limits.MAX_HISTORY_LIMIT).orElse(Limits.DEFAULT_HISTORY_LIMIT);
    List<Change> changes = read(t, Document::changes);
    ArrayNode out = JSON.createArrayNode();
    for (int i = changes.size() - 1; i >= 0 && out.size() < limit; i--) {
      Change c = changes.get(i);
      ObjectNode o = out.addObject();
      o.put("hash", c.hash().hex());
      o.put("actor", c.actor().hex());
      o.put("time", c.time());
      if (c.message().isPresent()) {
        o.put("message", c.message().get());
      } else {
        o.putNull("message");
      }
      o.put("byAssistant", actors.isAssistant(c.actor()));
    }
    return out.toString();
  }

  /**
   * {@code revert_changes {url, hashes}}: one change undoing exactly those changes' effects on the
   * current document, keeping everyone's later edits ({@link Revert}); {@code {heads, change}},
   * {@code change} null when nothing was left to undo.
   */
  synchronized String revertChanges(Args a) {
    String url = a.string("url", Limits.MAX_URL_CHARS);
    List<ChangeHash> hashes = a.strings("hashes", Limits.MAX_HASHES, 64).stream().map(LoamTools::hash).distinct().toList();
    if (hashes.isEmpty()) {
      throw new ToolException("revert_changes: hashes names no change");
    }
    Target t = resolve(url);
    read(t, d -> {
      requireKnown(d, hashes, "hashes");
      return d;
    });
    String message = "revert " + String.join(", ", hashes.stream().limit(10).map(h -> h.hex().substring(0, 8)).toList())
        + (hashes.size() > 10 ? " and " + (hashes.size() - 10) + " more" : "");
    CommitOptions options = options(message);
    Optional<ChangeHash> change = commit(t, h -> h.revert(options, hashes), d -> Revert.revert(d, options, hashes));
    return result(t, change);
  }

  // ---- documents ----

  /** The document at {@code url}, readable by this process; a {@link ToolException} says why not. */
  Target resolve(String url) {
    if (url.length() > Limits.MAX_URL_CHARS) {
      throw new ToolException("a document URL is at most " + Limits.MAX_URL_CHARS + " characters");
    }
    Optional<SecureUrl> secure = SecureUrl.tryParse(url);
    if (secure.isPresent() || url.startsWith(SecureUrl.PREFIX)) {
      return secure(url, secure);
    }
    DocumentId id;
    try {
      id = LocalRepo.parseDocument(url);
    } catch (CliException e) {
      throw new ToolException(e.getMessage());
    }
    return findPlain(id).orElseThrow(() -> new ToolException(synced
        ? "neither the repo folder nor the sync server has the document " + id.toUrl()
        : "the repo folder has no document " + id.toUrl()));
  }

  private Target secure(String url, Optional<SecureUrl> parsed) {
    Optional<SecureRepo> repo = secureRepo();
    if (repo.isEmpty()) {
      throw new ToolException("secure documents are available only when loam mcp runs with --id (an identity that is a member)");
    }
    SecureUrl u = parsed.orElseThrow(() -> new ToolException("not a secure document URL (" + SecureUrl.PREFIX + " and a document id): " + Args.shorten(url)));
    try {
      SecureDocument doc = SecureDocs.open(repo.get(), u);
      if (!doc.canRead()) {
        throw SecureDocs.denied(doc, me.orElseThrow(), "read", u);
      }
      return new Secure(repo.get(), doc);
    } catch (CliException e) {
      throw new ToolException(e.getMessage());
    }
  }

  private Optional<SecureRepo> secureRepo() {
    return me.map(i -> SecureDocs.repo(local, i));
  }

  /** The handle of a plain document the folder has (or, when synced, the server has), loaded. */
  private Optional<Plain> findPlain(DocumentId id) {
    if (!synced && !found.contains(id) && local.repo().storageAdapter().orElseThrow().loadRange(StorageKey.of(id.toString())).isEmpty()) {
      return Optional.empty(); // never make a handle (nor anything else) for a document the folder lacks
    }
    try {
      DocHandle h = local.repo().find(id).whenReady().get(findTimeout.toMillis(), TimeUnit.MILLISECONDS);
      found.add(id);
      return Optional.of(new Plain(h));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("interrupted");
    }
  }

  <T> T read(Target t, Function<Document, T> reader) {
    return switch (t) {
      case Plain p -> p.handle().read(reader);
      case Secure s -> reader.apply(s.doc().document());
    };
  }

  /**
   * Runs {@code body} as one change with the assistant's actor and {@code message} (prefixed): on a
   * plain document through its handle (saved and synced after the repo's debounce), on a secure one
   * sealed and stored at once. If {@code body} fails nothing is written.
   */
  Optional<ChangeHash> write(Target t, String message, Consumer<Transaction> body) {
    CommitOptions options = options(message);
    return commit(t, h -> h.change(options, body), d -> d.transact(options, body));
  }

  /**
   * Makes one change as the assistant: through the handle of a plain document ({@code onHandle}), or
   * on a secure one's document ({@code onDocument}), which needs {@code edit} and is then sealed
   * into one envelope and stored. The process's actor is recorded before its first change.
   */
  private Optional<ChangeHash> commit(Target t, Function<DocHandle, Optional<ChangeHash>> onHandle,
      Function<Document, Optional<ChangeHash>> onDocument) {
    actors.recordMine();
    try {
      return switch (t) {
        case Plain p -> {
          // A repo gives each document a random actor: the handle's document writes as this
          // process's assistant from now on (checked before every change, so a document the handle
          // reloads is set again).
          p.handle().read(d -> {
            if (!d.actor().equals(actors.mine())) {
              d.setActor(actors.mine());
            }
            return d;
          });
          yield onHandle.apply(p.handle());
        }
        case Secure s -> {
          if (!s.doc().level().map(l -> l.atLeast(Level.EDIT)).orElse(false)) {
            throw SecureDocs.denied(s.doc(), me.orElseThrow(), "edit", s.doc().url());
          }
          Document d = s.doc().document();
          d.setActor(actors.mine()); // bound to the identity (see McpCommand), as seal() requires
          Optional<ChangeHash> h = onDocument.apply(d);
          if (h.isPresent()) {
            s.repo().save(s.doc()); // seals the change into one signed envelope and stores it
          }
          yield h;
        }
      };
    } catch (CliException | LoamException | IllegalArgumentException | IllegalStateException e) {
      throw new ToolException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  static CommitOptions options(String message) {
    return new CommitOptions(Optional.of(MESSAGE_PREFIX + message), OptionalLong.empty());
  }

  /** {@code {heads, change}}: the document's heads after a write, and the change it made (null if none). */
  String result(Target t, Optional<ChangeHash> change) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode h = o.putArray("heads");
    for (ChangeHash c : read(t, Document::heads).hashes()) {
      h.add(c.hex());
    }
    if (change.isPresent()) {
      o.put("change", change.get().hex());
    } else {
      o.putNull("change");
    }
    return o.toString();
  }

  /** Change hashes given as hex strings; a malformed one is refused. */
  static Heads heads(List<String> hex) {
    List<ChangeHash> out = new ArrayList<>(hex.size());
    for (String s : hex) {
      out.add(hash(s));
    }
    return Heads.of(out);
  }

  static ChangeHash hash(String hex) {
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new ToolException("a change hash is 64 hex digits, not \"" + Args.shorten(hex) + "\"");
    }
    return ChangeHash.fromHex(hex);
  }

  /** Refuses hashes the document does not have. */
  static void requireKnown(Document d, List<ChangeHash> hashes, String what) {
    Set<ChangeHash> have = new java.util.HashSet<>();
    for (Change c : d.changes()) {
      have.add(c.hash());
    }
    for (ChangeHash h : hashes) {
      if (!have.contains(h)) {
        throw new ToolException(what + ": the document has no change " + h.hex());
      }
    }
  }

  /** The root's {@code title} string, if it holds one (a text or a string scalar). */
  static Optional<String> title(Document d) {
    Optional<Value> v = d.get(ObjId.ROOT, "title");
    if (v.isPresent() && v.get() instanceof Value.Obj o && o.type() == ObjType.TEXT) {
      return Optional.of(d.text(o.id()));
    }
    if (v.isPresent() && v.get() instanceof ScalarValue.Str s) {
      return Optional.of(s.value());
    }
    return Optional.empty();
  }
}
