package dev.loam.bench.jmh;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureItem;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.server.LoamServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One keystroke from a writer to another member through a {@link LoamServer} on loopback
 * (in-memory storage), secure beside plain. Secure: the writer types one character, seals it into
 * one envelope and pushes it (the push returns once the server has stored it), then the reader
 * pulls after its cursor and applies the envelope. Plain: the writer's {@link DocHandle} changes
 * and the reader's handle hears the change (both repos with sync debounce zero, so neither path
 * waits on a timer; a live secure writer's batching adds up to 20 ms of idle time, as the plain
 * repo's default debounce does). The target: the secure path within 50 ms of the plain one.
 * Every {@value #MAX_KEYSTROKES} secure keystrokes the writer starts a new document (not timed),
 * so the figures are for documents of 1 to {@value #MAX_KEYSTROKES} envelopes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SecureKeystrokeBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Keystrokes (envelopes) a secure document gets before a new one starts. */
  static final int MAX_KEYSTROKES = 200;

  LoamServer server;
  SecureFixtures.Typist typist;
  Identity readerIdentity;
  SecureDocument reader;
  int keystrokes;
  long seed = 5;
  SecureSyncClient writerClient;
  SecureSyncClient readerClient;
  long readerCursor;
  ObjId text;

  Repo plainWriter;
  Repo plainReader;
  DocHandle plainWritten;
  final AtomicReference<CompletableFuture<DocChange>> heard = new AtomicReference<>(new CompletableFuture<>());

  @Setup
  public void start() throws Exception {
    server = LoamServer.builder().host("127.0.0.1").port(0).storage(new InMemoryStorageAdapter()).build().start();
    URI ws = URI.create("ws://127.0.0.1:" + server.port());

    typist = SecureFixtures.typist(seed);
    readerIdentity = Identity.generate(SecureFixtures.random(-1));
    writerClient = SecureSyncClient.connect(ws, typist.writer(), TIMEOUT);
    readerClient = SecureSyncClient.connect(ws, readerIdentity, TIMEOUT);
    shareWithReader();

    plainWriter = repo(ws);
    plainReader = repo(ws);
    plainWritten = plainWriter.create();
    plainWritten.change(tx -> tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    // the server has the document before the reader asks for it (it announces nothing)
    plainWritten.whenSyncedWith(plainWriter.whenPeerConnected().get(30, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS);
    DocHandle read = plainReader.find(plainWritten.url()).whenReady().get(30, TimeUnit.SECONDS);
    read.addListener(new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (change.peer().isPresent()) {
          heard.get().complete(change);
        }
      }
    });
  }

  /** The writer shares its document with the reader, pushes it; the reader pulls and opens it. */
  private void shareWithReader() {
    typist.doc().share(readerIdentity.memberId(), Level.READ);
    text = typist.text();
    writerClient.push(typist.doc().id(), typist.doc().items());
    List<SecureItem> all = new ArrayList<>();
    readerCursor = readerClient.pull(typist.doc().id(), 0, all::addAll);
    reader = SecureDocument.open(readerIdentity, typist.doc().id(), all);
    keystrokes = 0;
  }

  /** A new secure document (same writer key, same reader) every {@value #MAX_KEYSTROKES} keystrokes. */
  @Setup(org.openjdk.jmh.annotations.Level.Invocation)
  public void boundTheDocument() {
    if (keystrokes >= MAX_KEYSTROKES) {
      typist = SecureFixtures.typist(seed); // the same seed: the same writer key the client authenticated
      shareWithReader();
    }
  }

  private static Repo repo(URI ws) throws Exception {
    WebSocketClientAdapter network = WebSocketClientAdapter.of(ws.toString());
    Repo repo = Repo.builder().network(network).syncDebounce(Duration.ZERO).build();
    repo.whenPeerConnected().get(30, TimeUnit.SECONDS);
    return repo;
  }

  @TearDown
  public void stop() {
    writerClient.close();
    readerClient.close();
    plainWriter.close();
    plainReader.close();
    server.close();
  }

  /** Type, seal, push (stored), pull, open and apply: the reader's text has the keystroke. */
  @Benchmark
  public int secureKeystroke() {
    keystrokes++;
    typist.type(1);
    writerClient.push(typist.doc().id(), typist.doc().seal());
    readerCursor = readerClient.pull(typist.doc().id(), readerCursor, reader::receive);
    return reader.document().length(text);
  }

  /** Change the writer's handle; return once the reader's handle has heard it from the server. */
  @Benchmark
  public DocChange plainKeystroke() throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<DocChange> next = new CompletableFuture<>();
    heard.set(next);
    plainWritten.change(tx -> {
      ObjId t = ((dev.loam.Value.Obj) tx.get(ObjId.ROOT, "text").orElseThrow()).id();
      tx.spliceText(t, 0, 0, "k");
    });
    return next.get(30, TimeUnit.SECONDS);
  }
}
