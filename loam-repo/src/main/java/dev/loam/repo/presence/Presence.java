package dev.loam.repo.presence;

import dev.loam.Bytes;
import dev.loam.repo.DocHandle;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.internal.VirtualThreads;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares this app's ephemeral state on one document (who is here, a cursor, a selection) with the
 * document's peers, and tracks theirs: automerge-repo 2.5.6's {@code Presence}, message for
 * message, so Loam and JS apps on one document see each other. Nothing of it is stored.
 *
 * <p>State is a map of channels to values; values are plain trees (maps with string keys, lists,
 * strings, numbers, booleans, byte arrays, null), sent as CBOR and read back as {@code Map},
 * {@code List}, {@code String}, {@code Integer}/{@code Long}/{@code Double}, {@code Boolean},
 * {@code byte[]} or null.
 *
 * <pre>{@code
 * Presence presence = Presence.builder(handle).listener(e -> repaint()).build();
 * presence.start(Map.of("name", "Ada", "cursor", 0));
 * presence.broadcast("cursor", 42);
 * presence.peerStates().forEach((peer, s) -> draw(s.value().get("cursor")));
 * presence.close(); // says goodbye
 * }</pre>
 *
 * <p>Behaviour, as automerge-repo's: {@link #start} sends a {@code snapshot} of the whole state,
 * {@link #broadcast} an {@code update} of one channel; a {@code heartbeat} follows after each
 * {@link Builder#heartbeat} without another message. A message from a peer not yet tracked makes
 * this side send its snapshot again after {@link Builder#announceDelay} (so newcomers learn it).
 * Peers' updates and snapshots merge into their state; a {@code goodbye} forgets the peer at once;
 * a peer not heard from for {@link Builder#peerTtl} is pruned (checked every heartbeat interval).
 * At most {@link Builder#maxPeers} peers are tracked: messages from more are ignored, so a hostile
 * crowd costs bounded memory.
 *
 * <p>Thread-safe. Listener calls come on the repo's or the timer's threads, one at a time, never
 * under the presence's lock; they should be quick. No method blocks except {@link #broadcast},
 * {@link #start} and {@link #stop}, which block as {@link DocHandle#broadcast} does.
 */
public final class Presence implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);

  /** A peer's state as this side knows it; {@code lastActiveAt} is its last update, {@code lastSeenAt} its last message. */
  public record PeerState(PeerId peerId, Instant lastActiveAt, Instant lastSeenAt, Map<String, @Nullable Object> value) {
    public PeerState {
      Objects.requireNonNull(peerId);
      Objects.requireNonNull(lastActiveAt);
      Objects.requireNonNull(lastSeenAt);
      value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }
  }

  /** What a peer did, as automerge-repo's presence events. */
  public sealed interface Event {
    /** The peer concerned, or for {@link Pruned} the first pruned peer. */
    PeerId peerId();

    /** A peer changed one channel. */
    record Update(PeerId peerId, String channel, @Nullable Object value) implements Event {}

    /** A peer sent its whole state. */
    record Snapshot(PeerId peerId, Map<String, @Nullable Object> state) implements Event {}

    /** A peer said it is still here. */
    record Heartbeat(PeerId peerId) implements Event {}

    /** A peer left. */
    record Goodbye(PeerId peerId) implements Event {}

    /** Peers not heard from for the peer TTL were forgotten. */
    record Pruned(List<PeerId> pruned) implements Event {
      public Pruned {
        pruned = List.copyOf(pruned);
        if (pruned.isEmpty()) {
          throw new IllegalArgumentException("no peer pruned");
        }
      }

      @Override
      public PeerId peerId() {
        return pruned.getFirst();
      }
    }
  }

  /** Hears a presence's events. */
  @FunctionalInterface
  public interface Listener {
    /** Called with each event, one at a time. */
    void event(Event event);
  }

  private final DocHandle handle;
  private final Duration heartbeat;
  private final Duration peerTtl;
  private final Duration announceDelay;
  private final int maxPeers;
  private final InstantSource clock;
  private final ScheduledExecutorService timer;
  private final boolean ownsTimer;
  private final Listener listener;
  private final DocHandle.Listener onEphemeral = new DocHandle.Listener() {
    @Override
    public void ephemeral(DocHandle h, PeerId sender, Bytes data) {
      received(sender, data);
    }
  };
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock events = new ReentrantLock(); // one listener call at a time
  // guarded by lock:
  private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
  private Map<String, @Nullable Object> local = Map.of();
  private boolean running;
  private @Nullable ScheduledFuture<?> heartbeats;
  private @Nullable ScheduledFuture<?> pruning;

  private Presence(Builder b) {
    this.handle = b.handle;
    this.heartbeat = b.heartbeat;
    this.peerTtl = b.peerTtl == null ? b.heartbeat.multipliedBy(3) : b.peerTtl;
    this.announceDelay = b.announceDelay;
    this.maxPeers = b.maxPeers;
    this.clock = b.clock;
    this.listener = b.listener;
    this.ownsTimer = b.timer == null;
    this.timer = b.timer == null ? VirtualThreads.timer("loam-presence") : b.timer;
  }

  /** A builder for presence on {@code handle}'s document. Does not block. */
  public static Builder builder(DocHandle handle) {
    return new Builder(handle);
  }

  /**
   * Starts: listens to the document's ephemeral messages, sends {@code initialState} as a
   * snapshot and starts heartbeats and pruning. Does nothing if running.
   *
   * @throws IllegalArgumentException if a value is not a plain tree (see the class comment)
   */
  public void start(Map<String, ? extends @Nullable Object> initialState) {
    Map<String, @Nullable Object> state = copy(initialState);
    byte[] snapshot = new PresenceMessage.Snapshot(state).encode(); // fails before any state changes
    lock.lock();
    try {
      if (running) {
        return;
      }
      running = true;
      local = state;
      long every = heartbeat.toNanos();
      pruning = timer.scheduleAtFixedRate(this::prune, every, every, TimeUnit.NANOSECONDS);
    } finally {
      lock.unlock();
    }
    handle.addListener(onEphemeral);
    send(snapshot);
  }

  /**
   * Sets channel {@code channel} of this side's state to {@code value} and sends it to the peers.
   *
   * @throws IllegalStateException if not running
   * @throws IllegalArgumentException if {@code value} is not a plain tree
   */
  public void broadcast(String channel, @Nullable Object value) {
    Objects.requireNonNull(channel);
    byte[] update = new PresenceMessage.Update(channel, value).encode();
    lock.lock();
    try {
      if (!running) {
        throw new IllegalStateException("presence is not running: call start first");
      }
      Map<String, @Nullable Object> next = new LinkedHashMap<>(local);
      next.put(channel, value);
      local = Collections.unmodifiableMap(next);
    } finally {
      lock.unlock();
    }
    send(update);
  }

  /** This side's state now. Does not block. */
  public Map<String, @Nullable Object> localState() {
    lock.lock();
    try {
      return local;
    } finally {
      lock.unlock();
    }
  }

  /** The peers tracked now and their states. Does not block. */
  public Map<PeerId, PeerState> peerStates() {
    lock.lock();
    try {
      return Map.copyOf(peers);
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #start} ran and {@link #stop} did not since. Does not block. */
  public boolean running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops: sends {@code goodbye} (peers forget this side at once), stops heartbeats and pruning,
   * stops listening and forgets the peers. Does nothing if not running; may be started again.
   */
  public void stop() {
    lock.lock();
    try {
      if (!running) {
        return;
      }
      running = false; // from here no broadcast, heartbeat or announcement goes out
      cancelTimers();
      peers.clear();
    } finally {
      lock.unlock();
    }
    handle.removeListener(onEphemeral);
    sendNow(new PresenceMessage.Goodbye().encode());
  }

  /** Stops (saying goodbye) and releases the timer the presence owns. Idempotent. */
  @Override
  public void close() {
    stop();
    if (ownsTimer) {
      timer.shutdownNow();
    }
  }

  private void received(PeerId sender, Bytes data) {
    PresenceMessage m = PresenceMessage.decode(data.toByteArray()).orElse(null);
    if (m == null) {
      return;
    }
    Event event;
    boolean announce;
    lock.lock();
    try {
      if (!running) {
        return;
      }
      PeerState known = peers.get(sender);
      if (known == null && peers.size() >= maxPeers) {
        log.debug("ignoring presence of {}: already tracking {} peers", sender, maxPeers);
        return;
      }
      announce = known == null;
      Instant now = clock.instant();
      event = switch (m) {
        case PresenceMessage.Heartbeat h -> {
          if (known != null) {
            peers.put(sender, new PeerState(sender, known.lastActiveAt(), now, known.value()));
          }
          yield new Event.Heartbeat(sender);
        }
        case PresenceMessage.Goodbye g -> {
          peers.remove(sender);
          yield new Event.Goodbye(sender);
        }
        case PresenceMessage.Update u -> {
          Map<String, @Nullable Object> value = new LinkedHashMap<>();
          value.put(u.channel(), u.value());
          merge(sender, known, value, now);
          yield new Event.Update(sender, u.channel(), u.value());
        }
        case PresenceMessage.Snapshot s -> {
          merge(sender, known, s.state(), now);
          yield new Event.Snapshot(sender, Collections.unmodifiableMap(new LinkedHashMap<>(s.state())));
        }
      };
    } finally {
      lock.unlock();
    }
    if (announce) {
      schedule(this::announce, announceDelay);
    }
    emit(event);
  }

  /** Under lock: automerge-repo merges a snapshot or update over what it knew of the peer. */
  private void merge(PeerId sender, @Nullable PeerState known, Map<String, @Nullable Object> value, Instant now) {
    Map<String, @Nullable Object> merged = new LinkedHashMap<>();
    if (known != null) {
      merged.putAll(known.value());
    }
    merged.putAll(value);
    peers.put(sender, new PeerState(sender, now, now, merged));
  }

  private void announce() {
    Map<String, @Nullable Object> state;
    lock.lock();
    try {
      if (!running) {
        return;
      }
      state = local;
    } finally {
      lock.unlock();
    }
    send(new PresenceMessage.Snapshot(state).encode());
  }

  private void prune() {
    List<PeerId> pruned = new ArrayList<>();
    lock.lock();
    try {
      Instant threshold = clock.instant().minus(peerTtl);
      peers.values().removeIf(s -> {
        boolean stale = s.lastSeenAt().isBefore(threshold);
        if (stale) {
          pruned.add(s.peerId());
        }
        return stale;
      });
    } finally {
      lock.unlock();
    }
    if (!pruned.isEmpty()) {
      emit(new Event.Pruned(pruned));
    }
  }

  /** Sends {@code cbor} and restarts the heartbeat countdown, if running. */
  private void send(byte[] cbor) {
    lock.lock();
    try {
      if (!running) {
        return;
      }
      if (heartbeats != null) {
        heartbeats.cancel(false);
      }
      long every = heartbeat.toNanos();
      heartbeats = timer.scheduleAtFixedRate(this::heartbeat,
          every, every, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      return;
    } finally {
      lock.unlock();
    }
    sendNow(cbor);
  }

  private void heartbeat() {
    if (running()) {
      sendNow(new PresenceMessage.Heartbeat().encode());
    }
  }

  private void sendNow(byte[] cbor) {
    try {
      handle.broadcast(cbor);
    } catch (RuntimeException e) {
      log.warn("could not send presence on {}", handle.documentId(), e);
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // closing
    }
  }

  private void cancelTimers() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
      heartbeats = null;
    }
    if (pruning != null) {
      pruning.cancel(false);
      pruning = null;
    }
  }

  private void emit(Event event) {
    events.lock();
    try {
      listener.event(event);
    } catch (RuntimeException e) {
      log.warn("a presence listener failed on {}", event, e);
    } finally {
      events.unlock();
    }
  }

  private static Map<String, @Nullable Object> copy(Map<String, ? extends @Nullable Object> state) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    state.forEach((k, v) -> out.put(Objects.requireNonNull(k, "channel"), v));
    return Collections.unmodifiableMap(out);
  }

  /** Configures a {@link Presence}. Not thread-safe. */
  public static final class Builder {
    private final DocHandle handle;
    private Duration heartbeat = Duration.ofSeconds(15);
    private @Nullable Duration peerTtl;
    private Duration announceDelay = Duration.ofMillis(500);
    private int maxPeers = 1024;
    private InstantSource clock = InstantSource.system();
    private @Nullable ScheduledExecutorService timer;
    private Listener listener = e -> { };

    private Builder(DocHandle handle) {
      this.handle = Objects.requireNonNull(handle);
    }

    /** How often a heartbeat goes out when nothing else has (default 15 s, automerge-repo's); also the pruning period. */
    public Builder heartbeat(Duration every) {
      this.heartbeat = positive(every);
      return this;
    }

    /** How long a silent peer is kept (default three heartbeats, automerge-repo's). */
    public Builder peerTtl(Duration ttl) {
      this.peerTtl = positive(ttl);
      return this;
    }

    /** How long after hearing a new peer this side resends its snapshot (default 500 ms, automerge-repo's). */
    public Builder announceDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative delay " + delay);
      }
      this.announceDelay = delay;
      return this;
    }

    /** The most peers tracked at once (default 1024). */
    public Builder maxPeers(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPeers must be at least 1, not " + max);
      }
      this.maxPeers = max;
      return this;
    }

    /** The clock of {@code lastSeenAt}, {@code lastActiveAt} and pruning (default the system clock). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Runs heartbeats, pruning and announcements (default a virtual-thread timer the presence owns). */
    public Builder timer(ScheduledExecutorService timer) {
      this.timer = Objects.requireNonNull(timer);
      return this;
    }

    /** Hears the peers' presence events (default none). */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /** A presence, not yet started. Does not block. */
    public Presence build() {
      return new Presence(this);
    }

    private static Duration positive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be positive: " + d);
      }
      return d;
    }
  }
}
