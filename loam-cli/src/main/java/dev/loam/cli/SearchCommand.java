package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import dev.loam.search.HistoryHit;
import dev.loam.search.InvalidQueryException;
import dev.loam.search.Progress;
import dev.loam.search.SearchHit;
import dev.loam.search.SearchIndex;
import dev.loam.secure.Identity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam search QUERY}: the documents of a repo folder whose text matches a query, through
 * the folder's search index ({@code DIR/search-index}, derived data: created on first use, brought
 * up to date by heads before every search, rebuilt by {@code --reindex}, never in storage, so
 * never synced nor in a {@link dev.loam.repo.Repo#backup}).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Find the documents of a repo folder whose text matches QUERY, best first.",
        "QUERY: words (all must match), \"exact phrases\", prefixes (collab*), fuzzy terms (kleppman~),",
        "key:word (title:loam), path:/tasks, OR, NOT (or -word) and brackets; case and accents are ignored.",
        "--history finds documents whose text held QUERY (a word or phrase) in any version, with the",
        "changes that inserted and deleted it, as 'git log -S'.",
        "The index lives in DIR/search-index (derived data, never synced nor backed up); --reindex rebuilds it.",
        "Exit status: 0 found or not, 1 failed, 2 called wrongly, 4 the query is invalid."},
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {"0:searched (with or without hits)", "1:failed", "2:called wrongly", "4:invalid query"})
public final class SearchCommand implements Callable<Integer> {
  /** Exit status of a query that cannot run (bad syntax, too expensive a form). */
  static final int INVALID_QUERY = 4;
  /** The index folder inside a repo folder. */
  public static final String INDEX_FOLDER = "search-index";

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "QUERY", description = "What to find (several arguments are joined by spaces).")
  List<String> words = new ArrayList<>();

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--limit", defaultValue = "20", description = "At most this many hits (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print one JSON array of hits, best first.")
  boolean json;

  @Option(names = "--history", description = "Search every version of the documents, not only the current one.")
  boolean history;

  @Option(names = "--reindex", description = "Rebuild the index from the documents (progress on stderr).")
  boolean reindex;

  /** {@code --id FILE} (or {@code LOAM_ID}): also search the secure documents this identity can read, indexed on this device only. */
  @Mixin IdOption id;

  @Override
  public Integer call() {
    if (limit <= 0) {
      throw new ParameterException(spec.commandLine(), "--limit must be positive, not " + limit);
    }
    Optional<String> query = words.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", words));
    if (query.isEmpty() && !reindex) {
      throw new ParameterException(spec.commandLine(), "missing QUERY (or --reindex)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Identity> me = id.path().map(f -> IdShowCommand.load(f, id.passphrase));
    try (LocalRepo local = LocalRepo.open(data, "loam search", LocalRepo.Access.EXISTING, Optional.empty());
        SearchIndex index = SearchIndex.open(data.resolve(INDEX_FOLDER), local.repo())) {
      if (reindex) {
        Path folder = data.resolve(INDEX_FOLDER);
        Map<DocumentId, String> stored = CatchUpKeys.hashes(local.storedChunkKeys());
        int n = index.reindex(stored.keySet(), new StderrProgress(err, "indexing"));
        err.print("indexed " + n + " document" + (n == 1 ? "" : "s") + "\n");
        CatchUpKeys.write(folder, stored);
      } else {
        catchUp(local, data, index, new StderrProgress(err, "rebuilding the search index"));
      }
      index.unindexable().forEach((doc, why) ->
          err.print("loam search: " + doc.toUrl() + " is left out of the index: " + Main.oneLine(why) + "\n"));
      err.flush();
      if (me.isEmpty()) {
        query.ifPresent(q -> print(out, List.of(Source.plain(index)), q));
        out.flush();
        return 0;
      }
      try (SecureSearch secure = SecureSearch.open(local, data, me.get(), reindex,
          reindex ? new StderrProgress(err, "indexing secure documents") : Progress.NONE)) {
        if (reindex) {
          err.print("indexed " + secure.readable() + " secure document" + (secure.readable() == 1 ? "" : "s") + "\n");
          err.flush();
        }
        query.ifPresent(q -> print(out, List.of(Source.plain(index), Source.secure(secure.index())), q));
      }
    } catch (InvalidQueryException e) {
      err.print("loam search: " + Main.oneLine(e.getMessage()) + "\n");
      err.flush();
      return INVALID_QUERY;
    }
    out.flush();
    return 0;
  }

  /**
   * Brings the index of repo folder {@code data} ({@code DIR/search-index}, opened on {@code local}'s
   * repo) up to date by heads: a document whose stored chunks are those of the last catch-up was not
   * saved to since and is not loaded. {@code rebuilding} hears the progress when the index was
   * rebuilt on open or is filled afresh ({@link SearchIndex#catchUpRefills}): it then re-reads
   * every document. Blocks on the index's work and storage.
   */
  public static void catchUp(LocalRepo local, Path data, SearchIndex index, Progress rebuilding) {
    Path folder = data.resolve(INDEX_FOLDER);
    Map<DocumentId, String> stored = CatchUpKeys.hashes(local.storedChunkKeys());
    boolean whole = index.rebuiltOnOpen() || index.catchUpRefills(stored.size());
    Progress progress = whole ? rebuilding : Progress.NONE;
    Map<String, String> last = whole ? Map.of() : CatchUpKeys.read(folder);
    index.catchUp(stored.keySet(), id -> !stored.get(id).equals(last.get(id.toString())), progress);
    if (!CatchUpKeys.same(stored, last)) { // nothing saved since the last search: the file says so already
      CatchUpKeys.write(folder, stored);
    }
  }

  /** An index and how its documents' URLs are written. */
  private record Source(SearchIndex index, Function<DocumentId, String> url) {
    static Source plain(SearchIndex index) {
      return new Source(index, d -> d.toUrl().toString());
    }

    static Source secure(SearchIndex index) {
      return new Source(index, SecureSearch::url);
    }
  }

  private void print(PrintWriter out, List<Source> sources, String q) {
    // terminal bold for the snippets' marks only when stdout is a terminal
    boolean bold = !json && spec.root().userObject() instanceof Main m && m.terminal;
    SearchOutput format = new SearchOutput(json, bold);
    if (history) {
      List<SearchOutput.Found<HistoryHit>> hits = new ArrayList<>();
      for (Source s : sources) {
        s.index().searchHistory(q, limit).forEach(h -> hits.add(new SearchOutput.Found<>(s.url().apply(h.url().documentId()), h)));
      }
      out.print(format.history(hits.subList(0, Math.min(limit, hits.size()))));
    } else {
      List<SearchOutput.Found<SearchHit>> hits = new ArrayList<>();
      for (Source s : sources) {
        s.index().search(q, limit).forEach(h -> hits.add(new SearchOutput.Found<>(s.url().apply(h.url().documentId()), h)));
      }
      // scores of two indexes are of the same scale (the same scoring over similar fields), not exactly comparable
      hits.sort(Comparator.comparingDouble((SearchOutput.Found<SearchHit> f) -> f.hit().score()).reversed());
      out.print(format.hits(hits.subList(0, Math.min(limit, hits.size()))));
    }
  }

  /** Progress of a catch-up or rebuild on stderr: one line rewritten in place, a line at most every percent. */
  private static final class StderrProgress implements Progress {
    private final PrintWriter err;
    private final String what;
    private int shown = -1;

    StderrProgress(PrintWriter err, String what) {
      this.err = err;
      this.what = what;
    }

    @Override
    public void update(int done, int total) {
      int percent = total == 0 ? 100 : (int) (100L * done / total);
      if (percent != shown) {
        shown = percent;
        err.print("\r" + what + ": " + done + "/" + total + " (" + percent + "%)" + (done >= total ? "\n" : ""));
        err.flush();
      }
    }
  }
}
