package dev.loam.bench;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A load of automerge-repo WebSocket clients against one sync server: {@code clients} connections
 * spread over {@code docs} documents; per document one typist types one character at a time at a
 * human rate and the others read. Each client is a lean automerge-repo peer written for the load
 * (a {@link LeanWebSockets} connection, no Repo): it joins as an ephemeral peer, then speaks the
 * sync protocol about its one document.
 *
 * <p>What a client does. The typist keeps its own {@link Document} and {@link SyncState}: each
 * keystroke is a local change, then {@link Sync#generateSyncMessage} and a {@code sync} message;
 * it answers the server's messages as any peer does. A reader answers every {@code sync} message
 * with exactly the bytes a stock client with its history sends ({@link Sync#receiveSyncMessage},
 * then {@link Sync#generateSyncMessage}), computed once per distinct history by its document's
 * {@link SharedReaders}, so that the generator's CPU and memory go to the wire rather than to
 * 10,000 copies of the same work. A reader has a keystroke when a message from the server names
 * it among the server's heads and the reader's document holds it.
 * Fan-out latency: from the typist's message being handed to its socket until the last reader of
 * the document has the keystroke.
 *
 * <p>Bounded: at most {@link #MAX_CLIENTS} clients, loopback servers only, stops after the given
 * duration plus a settling time. Thread-safe; run once.
 */
public final class ServerLoad {
  /** The most clients one run opens. */
  public static final int MAX_CLIENTS = 20_000;
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz ";

  /**
   * What to run. {@code keysPerSecond} is each typist's rate; typing runs {@code warmUp} unmeasured
   * (both processes compile their hot code: a fresh JVM spends seconds in its JIT), then {@code typing}.
   */
  public record Options(URI url, int clients, int docs, double keysPerSecond, Duration warmUp, Duration typing,
                        Duration settle, int connectConcurrency, int ioThreads, OptionalLong serverPid) {
    public Options {
      if (warmUp.isNegative() || warmUp.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("warm-up must be between 0 and 10 minutes: " + warmUp);
      }
      if (ioThreads < 1 || ioThreads > 64) {
        throw new IllegalArgumentException("I/O threads must be in [1, 64]: " + ioThreads);
      }
      String host = url.getHost();
      if (!"ws".equals(url.getScheme()) || host == null
          || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"))) {
        throw new IllegalArgumentException("the load runs against a loopback ws:// server only, not " + url);
      }
      if (clients < 2 * docs || docs < 1 || clients > MAX_CLIENTS) {
        throw new IllegalArgumentException("need 1 <= docs, 2 * docs <= clients <= " + MAX_CLIENTS + ": "
            + clients + " clients, " + docs + " docs");
      }
      if (!(keysPerSecond > 0) || keysPerSecond > 100) {
        throw new IllegalArgumentException("keys per second must be in (0, 100]: " + keysPerSecond);
      }
      if (typing.isNegative() || typing.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("typing time must be between 0 and 1 hour: " + typing);
      }
    }
  }

  /**
   * What a run measured. Latencies in nanoseconds, sorted; {@code undelivered} keystrokes some reader
   * never got; CPU time of this process and of the server while typing, in nanoseconds (-1: unknown),
   * and the time this process's JIT compilers spent meanwhile (a fresh JVM compiles for many
   * seconds); the readers' steps taken and computed (the rest were shared).
   */
  public record Report(int clients, int docs, int connected, int heldAtEnd, long keystrokes, long[] fanOutNanos,
                       long undelivered, long messagesIn, long messagesOut, double typingSeconds, long errors,
                       List<String> errorSamples, boolean converged, long measuredWhileHeld, long generatorCpuNanos,
                       long serverCpuNanos, long generatorJitNanos, long readerSteps, long readerStepsComputed) {
    public double quantileMs(double q) {
      if (fanOutNanos.length == 0) {
        return Double.NaN;
      }
      return fanOutNanos[(int) Math.min(fanOutNanos.length - 1, Math.floor(q * fanOutNanos.length))] / 1e6;
    }

    public double maxMs() {
      return fanOutNanos.length == 0 ? Double.NaN : fanOutNanos[fanOutNanos.length - 1] / 1e6;
    }
  }

  private final Options options;
  private final LeanWebSockets sockets;
  private final ScheduledExecutorService timer;
  private final List<Doc> docs = new ArrayList<>();
  private final List<Client> clients = new ArrayList<>();
  private final AtomicLong messagesIn = new AtomicLong();
  private final AtomicLong messagesOut = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentHashMap<Long, Boolean> fanOutDone = new ConcurrentHashMap<>();
  private final List<Long> fanOuts = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean typingOver;

  public ServerLoad(Options options) {
    this.options = options;
    try { // messages are handled on the selector threads: a reader's step is a lookup
      this.sockets = new LeanWebSockets(options.ioThreads());
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a selector", e);
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("load-timer").factory());
  }

  /**
   * Connects every client, types for the given time, lets the fan-out settle, calls {@code whileHeld}
   * (a measurement of the server, reported as {@link Report#measuredWhileHeld}), closes every socket and
   * reports. Blocks for the whole run.
   */
  public Report run(java.util.function.LongSupplier whileHeld) throws InterruptedException {
    try {
      return runInner(whileHeld);
    } finally {
      for (Client c : clients) {
        c.abort();
      }
      timer.shutdownNow();
      sockets.close();
    }
  }

  private Report runInner(java.util.function.LongSupplier whileHeld) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(1);
    for (int d = 0; d < options.docs(); d++) {
      docs.add(new Doc(DocumentId.random(), random.split()));
    }
    for (int i = 0; i < options.clients(); i++) {
      Doc d = docs.get(i % docs.size());
      Client c = new Client(PeerId.of("load-" + i), d, i < docs.size());
      if (c.typist) {
        d.typist = c;
      } else {
        d.readers.add(c);
      }
      clients.add(c);
    }
    // the typists first: each puts its document on the server; then the readers ask for it
    connectAll(clients.subList(0, docs.size()));
    for (Doc d : docs) {
      d.typist.whenSynced(d.typist.own.heads(), Duration.ofSeconds(60));
    }
    connectAll(clients.subList(docs.size(), clients.size()));
    for (Doc d : docs) {
      for (Client r : d.readers) {
        r.whenSynced(d.typist.own.heads(), Duration.ofSeconds(120));
      }
    }
    int connected = (int) clients.stream().filter(c -> c.open).count();
    long periodNanos = (long) (1e9 / options.keysPerSecond());
    long t0 = System.nanoTime();
    List<java.util.concurrent.ScheduledFuture<?>> typing = new ArrayList<>();
    for (Doc d : docs) {
      typing.add(timer.scheduleAtFixedRate(d.typist::type,
          random.nextLong(periodNanos), periodNanos, TimeUnit.NANOSECONDS));
    }
    TimeUnit.NANOSECONDS.sleep(options.warmUp().toNanos());
    for (Doc d : docs) {
      d.measuredAfter = d.typed.get(); // what each document typed so far was warm-up
    }
    fanOuts.clear(); // those of the warm-up completed so far; later ones are left out by number
    t0 = System.nanoTime();
    long in0 = messagesIn.get();
    long out0 = messagesOut.get();
    long cpu0 = cpuNanos(OptionalLong.of(ProcessHandle.current().pid()));
    long jit0 = jitNanos();
    long serverCpu0 = cpuNanos(options.serverPid());
    TimeUnit.NANOSECONDS.sleep(options.typing().toNanos());
    typing.forEach(f -> f.cancel(false));
    double typingSeconds = (System.nanoTime() - t0) / 1e9;
    long in = messagesIn.get() - in0;
    long out = messagesOut.get() - out0;
    long cpu = minus(cpuNanos(OptionalLong.of(ProcessHandle.current().pid())), cpu0);
    long jit = minus(jitNanos(), jit0);
    long serverCpu = minus(cpuNanos(options.serverPid()), serverCpu0);
    typingOver = true;
    // settle: every keystroke reaches every reader, or the settle time ends
    long deadline = System.nanoTime() + options.settle().toNanos();
    boolean converged = false;
    while (System.nanoTime() < deadline) {
      converged = docs.stream().allMatch(Doc::converged);
      if (converged) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    long keystrokes = docs.stream().mapToLong(d -> d.typed.get() - d.measuredAfter).sum();
    long undelivered = docs.stream().mapToLong(Doc::undelivered).sum();
    int held = (int) clients.stream().filter(c -> c.open).count();
    long measured = whileHeld.getAsLong();
    long[] lat;
    synchronized (fanOuts) {
      lat = fanOuts.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    long steps = 0;
    long computed = 0;
    for (Doc d : docs) {
      long[] c = d.readerSteps.counts();
      steps += c[0];
      computed += c[1];
    }
    return new Report(options.clients(), options.docs(), connected, held, keystrokes, lat, undelivered, in, out,
        typingSeconds, errors.get(), List.copyOf(errorSamples.subList(0, Math.min(5, errorSamples.size()))), converged,
        measured, cpu, serverCpu, jit, steps, computed);
  }

  /** A process's CPU time (user + system) so far, in nanoseconds; -1 when unknown. */
  private static long cpuNanos(OptionalLong pid) {
    if (pid.isEmpty()) {
      return -1;
    }
    return ProcessHandle.of(pid.getAsLong()).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
  }

  /** The time this JVM's JIT compilers have spent, in nanoseconds; -1 when unknown. */
  private static long jitNanos() {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() * 1_000_000 : -1;
  }

  private static long minus(long after, long before) {
    return after < 0 || before < 0 ? -1 : after - before;
  }

  private void connectAll(List<Client> batch) throws InterruptedException {
    Semaphore inFlight = new Semaphore(options.connectConcurrency());
    CountDownLatch done = new CountDownLatch(batch.size());
    for (Client c : batch) {
      inFlight.acquire();
      c.connect().whenComplete((v, e) -> {
        if (e != null) {
          error(c.id + " did not connect: " + e);
        }
        inFlight.release();
        done.countDown();
      });
    }
    if (!done.await(5, TimeUnit.MINUTES)) {
      error((done.getCount()) + " connections still opening after 5 minutes");
    }
  }

  private void error(String what) {
    errors.incrementAndGet();
    if (errorSamples.size() < 20) {
      errorSamples.add(what);
    }
  }

  /** One document: its typist's keystrokes in order, and the readers' shared copy. */
  private final class Doc {
    final DocumentId id;
    final SplittableRandom random;
    final SharedReaders readerSteps = new SharedReaders();
    @Nullable Client typist;
    final List<Client> readers = new ArrayList<>();
    /** Keystroke number by its change hash, and each keystroke's send time and readers still to get it. */
    final Map<ChangeHash, Integer> numbers = new ConcurrentHashMap<>();
    final Map<Integer, long[]> sent = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> remaining = new ConcurrentHashMap<>();
    final AtomicInteger typed = new AtomicInteger();
    /** Keystrokes up to this number were typed in the warm-up: their fan-out is not reported. */
    volatile int measuredAfter;

    Doc(DocumentId id, SplittableRandom random) {
      this.id = id;
      this.random = random;
    }

    /** Reader {@code r} now has every keystroke up to {@code n}; it had those up to {@code had}. */
    void arrived(int had, int n, long now) {
      for (int k = had + 1; k <= n; k++) {
        AtomicInteger left = remaining.get(k);
        if (left != null && left.decrementAndGet() == 0) {
          remaining.remove(k);
          long at = sent.remove(k)[0];
          if (k > measuredAfter) {
            fanOuts.add(now - at);
          }
        }
      }
    }

    boolean converged() {
      Heads heads = typist.headsNow();
      for (Client r : readers) {
        if (!r.open || !heads.hashes().equals(r.serverHeads)) {
          return false;
        }
      }
      return remaining.isEmpty();
    }

    long undelivered() {
      return remaining.size();
    }
  }

  /** One lean automerge-repo client: a socket, and a typist's document and sync state or a reader's position. */
  private final class Client implements LeanWebSockets.Listener {
    final PeerId id;
    final Doc doc;
    final boolean typist;
    /** The typist's own document and sync state, guarded by {@link #ownLock}; null for a reader. */
    final @Nullable Document own;
    final @Nullable SyncState state;
    final ReentrantLock ownLock = new ReentrantLock();
    @Nullable ObjId text;
    /** A reader's place among its document's readers; confined to the socket's thread. */
    SharedReaders.@Nullable Position at;
    volatile boolean open;
    volatile LeanWebSockets.@Nullable Connection ws;
    volatile List<ChangeHash> serverHeads = List.of();
    /** Whether the client's document holds {@link #serverHeads}. */
    volatile boolean holdsServerHeads;
    /** The last keystroke number this reader has. */
    int seen;
    private final CompletableFuture<Void> peered = new CompletableFuture<>();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile List<ChangeHash> syncTarget = List.of();
    private volatile PeerId serverPeer = PeerId.of("unknown");

    Client(PeerId id, Doc doc, boolean typist) {
      this.id = id;
      this.doc = doc;
      this.typist = typist;
      if (typist) {
        own = Document.create(ActorId.random());
        state = new SyncState();
        ObjId[] made = new ObjId[1];
        own.transact(tx -> made[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
        text = made[0];
      } else {
        own = null;
        state = null;
      }
    }

    Heads headsNow() {
      ownLock.lock();
      try {
        return own.heads();
      } finally {
        ownLock.unlock();
      }
    }

    CompletableFuture<Void> connect() {
      return sockets.connect(options.url(), this).thenCompose(socket -> {
        ws = socket;
        open = true;
        send(new RepoMessage.Join(id, PeerMetadata.EPHEMERAL, List.of(RepoMessage.PROTOCOL_VERSION)));
        return peered;
      }).thenRun(this::speak);
    }

    /** Says the first sync message (a typist: its document; a reader: a request). */
    private void speak() {
      if (typist) {
        Optional<SyncMessage> m;
        ownLock.lock();
        try {
          m = Sync.generateSyncMessage(own, state);
        } finally {
          ownLock.unlock();
        }
        m.ifPresent(s -> send(new RepoMessage.Sync(id, serverPeer, doc.id, dev.loam.Bytes.wrap(s.encode()))));
      } else {
        SharedReaders.Step s = doc.readerSteps.start();
        at = s.to();
        s.reply().ifPresent(b -> send(new RepoMessage.Request(id, serverPeer, doc.id, b)));
      }
    }

    void whenSynced(Heads heads, Duration within) {
      syncTarget = heads.hashes();
      if (serverHeads.equals(syncTarget) && holdsServerHeads) {
        synced.complete(null);
      }
      try {
        synced.get(within.toNanos(), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        error(id + " did not sync its document within " + within + ": " + e);
      }
    }

    /** A typist's keystroke: one character at a random place, then the sync message that carries it. */
    void type() {
      if (typingOver || !open) {
        return;
      }
      Optional<SyncMessage> m;
      int n;
      ownLock.lock();
      try {
        int len = own.length(text);
        int at = doc.random.nextInt(len + 1);
        String c = String.valueOf(LETTERS.charAt(doc.random.nextInt(LETTERS.length())));
        ChangeHash h = own.transact(tx -> tx.spliceText(text, at, 0, c)).orElseThrow();
        n = doc.typed.incrementAndGet();
        doc.numbers.put(h, n);
        doc.remaining.put(n, new AtomicInteger(doc.readers.size()));
        doc.sent.put(n, new long[] {System.nanoTime()});
        m = Sync.generateSyncMessage(own, state);
      } finally {
        ownLock.unlock();
      }
      m.ifPresent(s -> send(new RepoMessage.Sync(id, serverPeer, doc.id, dev.loam.Bytes.wrap(s.encode()))));
    }

    void send(RepoMessage message) {
      LeanWebSockets.Connection s = ws;
      if (s == null || !open) {
        return;
      }
      s.send(message.encode());
      messagesOut.incrementAndGet();
    }

    void abort() {
      open = false;
      LeanWebSockets.Connection s = ws;
      if (s != null) {
        s.abort();
      }
    }

    @Override
    public void onBinary(LeanWebSockets.Connection c, byte[] frame) {
      messagesIn.incrementAndGet();
      try {
        handle(RepoMessage.decode(frame));
      } catch (RuntimeException e) {
        error(id + " could not handle a message: " + e);
      }
    }

    private void handle(RepoMessage message) {
      switch (message) {
        case RepoMessage.Peer p -> {
          serverPeer = p.senderId();
          peered.complete(null);
        }
        case RepoMessage.Sync s -> receive(s.data());
        case RepoMessage.Request r -> receive(r.data());
        case RepoMessage.DocUnavailable u -> error(id + ": the server says its document is unavailable");
        case RepoMessage.Error e -> error(id + ": the server sent an error: " + e.message());
        case RepoMessage.Ephemeral e -> { }
        case RepoMessage.RemoteHeadsChanged r -> { }
        case RepoMessage.RemoteSubscriptionChange r -> { }
        case RepoMessage.Join j -> { }
        case RepoMessage.Leave l -> { }
        case RepoMessage.Unknown u -> { }
      }
    }

    private void receive(dev.loam.Bytes data) {
      Optional<dev.loam.Bytes> answer;
      List<ChangeHash> heads;
      boolean have;
      if (typist) {
        SyncMessage in = SyncMessage.decode(data.toByteArray());
        ownLock.lock();
        try {
          Sync.receiveSyncMessage(own, state, in);
          answer = Sync.generateSyncMessage(own, state).map(m -> dev.loam.Bytes.wrap(m.encode()));
          have = own.heads().hashes().containsAll(in.heads());
        } finally {
          ownLock.unlock();
        }
        heads = in.heads();
      } else {
        SharedReaders.Step s = doc.readerSteps.receive(at, data.toByteArray());
        at = s.to();
        answer = s.reply();
        heads = s.theirHeads();
        have = s.holdsTheirHeads();
      }
      long now = System.nanoTime();
      serverHeads = heads;
      holdsServerHeads = have;
      if (!typist && have) {
        int newest = seen;
        for (ChangeHash h : heads) {
          Integer n = doc.numbers.get(h);
          if (n != null && n > newest) {
            newest = n;
          }
        }
        if (newest > seen) {
          doc.arrived(seen, newest, now);
          seen = newest;
        }
      }
      if (have && heads.equals(syncTarget)) {
        synced.complete(null);
      }
      answer.ifPresent(b -> send(new RepoMessage.Sync(id, serverPeer, doc.id, b)));
    }

    @Override
    public void onClosed(LeanWebSockets.Connection c, int code, String reason) {
      if (open && !typingOver) {
        error(id + " closed: " + code + " " + reason);
      }
      open = false;
      SharedReaders.Position p = at;
      if (p != null) {
        at = null;
        doc.readerSteps.leave(p);
      }
    }
  }
}
