package dev.loam.repo;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.spi.DocumentHook;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.sync.SyncLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/** Configures a {@link Repo}; get one from {@link Repo#builder()}. Not thread-safe. */
public final class RepoBuilder {
  // read by the Repo constructor
  @Nullable PeerId peerId;
  @Nullable StorageAdapter storage;
  final List<NetworkAdapter> network = new ArrayList<>();
  SharePolicy sharePolicy = SharePolicy.ALWAYS;
  @Nullable Executor executor;
  @Nullable ScheduledExecutorService timer;
  InstantSource clock = InstantSource.system();
  Duration syncDebounce = Duration.ofMillis(20);
  Duration unavailableTimeout = Duration.ofSeconds(5);
  SyncLimits syncLimits = SyncLimits.DEFAULT;
  int maxMissingPerPeer = 100;
  @Nullable String sessionId;
  DocumentHook documentHook = DocumentHook.NONE;
  dev.loam.repo.internal.StorageSubsystem.SaveListener saveListener = dev.loam.repo.internal.StorageSubsystem.SaveListener.NONE;

  RepoBuilder() {}

  /**
   * Told, on the saving thread, each time storage comes to hold a document's changes up to some
   * heads (after the write returned): for servers that tell others sharing their storage (see
   * {@link Repo#absorbStored}). Must not block long; a listener that throws is logged.
   */
  public RepoBuilder onSaved(java.util.function.BiConsumer<dev.loam.repo.id.DocumentId, dev.loam.Heads> listener) {
    Objects.requireNonNull(listener);
    this.saveListener = listener::accept;
    return this;
  }

  /** This repo's name on the network; default {@link PeerId#random()}. */
  public RepoBuilder peerId(PeerId peerId) {
    this.peerId = Objects.requireNonNull(peerId);
    return this;
  }

  /** Where documents are kept; without one the repo is ephemeral (announces {@code isEphemeral: true}). */
  public RepoBuilder storage(StorageAdapter storage) {
    this.storage = Objects.requireNonNull(storage);
    return this;
  }

  /** Adds a network adapter; the repo connects it when built and closes it when closed. */
  public RepoBuilder network(NetworkAdapter adapter) {
    this.network.add(Objects.requireNonNull(adapter));
    return this;
  }

  /** What is announced to whom; default {@link SharePolicy#ALWAYS}. */
  public RepoBuilder sharePolicy(SharePolicy policy) {
    this.sharePolicy = Objects.requireNonNull(policy);
    return this;
  }

  /**
   * Runs document work (loading, saving, syncing); default a virtual thread per task. Tests may
   * pass a direct executor ({@code Runnable::run}) so everything runs on the calling thread.
   */
  public RepoBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor);
    return this;
  }

  /** Runs the debounce and unavailable timers; default a virtual-thread timer the repo owns. */
  public RepoBuilder timer(ScheduledExecutorService timer) {
    this.timer = Objects.requireNonNull(timer);
    return this;
  }

  /**
   * Timestamps of local changes in every document of the repo (created, loaded from storage,
   * imported, received or recreated on delete); default the system clock.
   */
  public RepoBuilder clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /**
   * The shortest time between two syncs of one document's changes with its other peers (default
   * 20 ms): a change to a document whose last such sync began at least this long ago goes out at
   * once, later ones wait for the window's end and go out together; zero syncs each at once. The
   * answer to a peer's own sync message is never delayed.
   */
  public RepoBuilder syncDebounce(Duration debounce) {
    this.syncDebounce = requireNonNegative(debounce);
    return this;
  }

  /**
   * How long a document not in storage waits for a peer to ask before it is unavailable, when no
   * peer is connected (default 5 s); zero decides at once.
   */
  public RepoBuilder unavailableTimeout(Duration timeout) {
    this.unavailableTimeout = requireNonNegative(timeout);
    return this;
  }

  /**
   * Limits on what one peer's sync messages may make us take in (message size, document size,
   * queued changes); default {@link SyncLimits#DEFAULT}. A message past them is dropped with a
   * warning, leaving the document unchanged.
   */
  public RepoBuilder syncLimits(SyncLimits limits) {
    this.syncLimits = Objects.requireNonNull(limits);
    return this;
  }

  /**
   * The most missing documents one peer may keep open here; default 100. A peer's {@code request}
   * or {@code sync} about a document this repo does not have opens a handle that answers it
   * ({@code doc-unavailable} when nobody has it) and, while the peer stays connected, sends it the
   * document if it arrives later, as automerge-repo does. Such a handle leaves the repo once no
   * connected peer waits for it (unless a local {@link Repo#find} took it), and a peer asking
   * about more documents than this lets go of its oldest: it is answered as before but no longer
   * told when that document arrives (it may ask again). So peers inventing ids cost memory only
   * up to this many handles each. See {@link Repo#missingDocumentCount()}.
   *
   * @throws IllegalArgumentException if {@code n} is not positive
   */
  public RepoBuilder maxMissingDocumentsPerPeer(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxMissingDocumentsPerPeer must be positive: " + n);
    }
    this.maxMissingPerPeer = n;
    return this;
  }

  /** The session id of this repo's ephemeral messages; default a random UUID. */
  public RepoBuilder sessionId(String sessionId) {
    this.sessionId = Objects.requireNonNull(sessionId);
    return this;
  }

  /**
   * Transforms documents' bytes on their way to and from storage and peers (to seal some
   * documents); default {@link DocumentHook#NONE}.
   */
  public RepoBuilder documentHook(DocumentHook hook) {
    this.documentHook = Objects.requireNonNull(hook);
    return this;
  }

  /**
   * Builds the repo and connects its network adapters. Blocks while storage reads (or first
   * writes) its storage id.
   */
  public Repo build() {
    return new Repo(this);
  }

  private static Duration requireNonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration " + d);
    }
    return d;
  }
}
