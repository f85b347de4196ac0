package dev.loam.secure.net;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureStore;
import dev.loam.secure.net.SecureMessage.Auth;
import dev.loam.secure.net.SecureMessage.Authenticated;
import dev.loam.secure.net.SecureMessage.Challenge;
import dev.loam.secure.net.SecureMessage.Items;
import dev.loam.secure.net.SecureMessage.Pull;
import dev.loam.secure.net.SecureMessage.Pulled;
import dev.loam.secure.net.SecureMessage.Push;
import dev.loam.secure.net.SecureMessage.Pushed;
import dev.loam.secure.net.SecureSyncException.Problem;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A device's authenticated connection to a Loam server's secure endpoint ({@link SecureMessage#PATH}):
 * challenge-response on connect, signed pulls, pushes acknowledged once the server has stored
 * them durably. Uses the JDK's {@code java.net.http} WebSocket. Thread-safe: operations run one at
 * a time (each waits for the previous to finish).
 *
 * <pre>{@code
 * try (SecureSyncClient client = SecureSyncClient.connect(URI.create("ws://localhost:3030"), me, Duration.ofSeconds(10))) {
 *   client.sync(target);
 * }
 * }</pre>
 */
public final class SecureSyncClient implements AutoCloseable {
  /** The connection ended (an inbox entry). */
  private record Ended(String why) {}

  private final HttpClient http;
  private final WebSocket socket;
  private final Inbound inbound;
  private final Identity identity;
  private final Duration timeout;
  private final InstantSource clock;
  private final BlockingQueue<Object> inbox;
  private final SecureRandom random = new SecureRandom();
  private final Challenge challenge;

  private SecureSyncClient(HttpClient http, WebSocket socket, Inbound inbound, Identity identity, Duration timeout, InstantSource clock,
                           BlockingQueue<Object> inbox, Challenge challenge) {
    this.http = http;
    this.socket = socket;
    this.inbound = inbound;
    this.identity = identity;
    this.timeout = timeout;
    this.clock = clock;
    this.inbox = inbox;
    this.challenge = challenge;
  }

  /**
   * Connects to the server at {@code server} (its {@code ws://} or {@code wss://} base URL; the
   * secure path is appended) and authenticates as {@code identity}. Blocks on the network, each
   * step at most {@code timeout}.
   *
   * @throws SecureSyncException if the server cannot be reached ({@code CONNECTION}), is silent
   *     ({@code TIMEOUT}) or refuses the identity's authentication ({@code REFUSED})
   */
  public static SecureSyncClient connect(URI server, Identity identity, Duration timeout) {
    return connect(server, identity, timeout, InstantSource.system());
  }

  /** {@link #connect(URI, Identity, Duration)} with the clock that timestamps signed requests. */
  public static SecureSyncClient connect(URI server, Identity identity, Duration timeout, InstantSource clock) {
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    Inbound inbound = new Inbound(inbox);
    HttpClient http = HttpClient.newHttpClient();
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder()
          .connectTimeout(timeout)
          .buildAsync(endpoint(server), inbound)
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      http.shutdownNow();
      throw new SecureSyncException(Problem.CONNECTION, "cannot connect to " + server + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      http.shutdownNow();
      throw new SecureSyncException(Problem.TIMEOUT, "no answer from " + server + " within " + timeout, e);
    } catch (InterruptedException e) {
      http.shutdownNow();
      Thread.currentThread().interrupt();
      throw new SecureSyncException(Problem.CONNECTION, "interrupted while connecting to " + server, e);
    }
    try {
      Challenge challenge = next(inbox, timeout, Challenge.class);
      SecureSyncClient client = new SecureSyncClient(http, socket, inbound, identity, timeout, clock, inbox, challenge);
      client.send(Auth.sign(identity.signingKey(), challenge, clock.millis()));
      next(inbox, timeout, Authenticated.class);
      return client;
    } catch (RuntimeException e) {
      socket.abort();
      http.shutdownNow();
      throw e;
    }
  }

  /** The secure path under the server's base URL. */
  static URI endpoint(URI server) {
    String path = server.getPath() == null ? "" : server.getPath();
    if (path.endsWith(SecureMessage.PATH)) {
      return server;
    }
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return server.resolve(base + SecureMessage.PATH);
  }

  /** The audience this client's requests name: the server's, from its challenge. */
  public String audience() {
    return challenge.audience();
  }

  /**
   * Syncs both ways: pulls every item the server has for the document and hands them to the
   * target, then pushes the local items the server lacks, and returns once the server has durably
   * stored them. Blocks on the network.
   *
   * <p>A document the server gives this identity nothing of (it does not hold it, or this identity
   * is not, or no longer, a member) is {@code UNAVAILABLE} even when the target has items: they are
   * pushed (the first sync of a new document creates it there), and if the server still gives
   * nothing back, the sync fails as for an unknown document.
   *
   * @throws SecureSyncException {@code UNAVAILABLE} if the server gives this identity nothing of
   *     the document; {@code REJECTED} if the server did not accept a local item (with its
   *     reasons); or a connection problem
   */
  public synchronized void sync(SyncTarget target) {
    DocumentId doc = target.documentId();
    Set<Bytes> remote = new HashSet<>();
    ItemSink sink = items -> {
      for (SecureItem i : items) {
        remote.add(i.itemId());
      }
      target.received(items);
    };
    long cursor = pull(doc, 0, sink);
    List<SecureItem> missing = target.localItems().stream().filter(i -> !remote.contains(i.itemId())).toList();
    if (cursor > 0) {
      push(doc, missing);
      return;
    }
    // Nothing for us: a new document (our push creates it), or one we may not fetch (unknown,
    // never shared, or removed), which must look the same as an unknown one.
    SecureSyncException rejected = null;
    if (!missing.isEmpty()) {
      try {
        push(doc, missing);
      } catch (SecureSyncException e) {
        if (e.problem() != Problem.REJECTED) {
          throw e;
        }
        rejected = e;
      }
    }
    if (missing.isEmpty() || pull(doc, 0, sink) == 0) {
      throw new SecureSyncException(Problem.UNAVAILABLE, "the server has no document " + doc + " for this identity");
    }
    if (rejected != null) {
      throw rejected;
    }
  }

  /** What a pull gives to its caller, batch by batch. */
  @FunctionalInterface
  public interface ItemSink {
    /** Items the server sent, in its order. */
    void received(List<SecureItem> items);
  }

  /**
   * Pulls the document's items after {@code cursor} into {@code sink}; returns the cursor to pull
   * after next time (0 for a document the server does not hold or will not give this identity).
   * Blocks on the network.
   *
   * @throws SecureSyncException if the server refuses or sends an undecodable item
   */
  public synchronized long pull(DocumentId document, long cursor, ItemSink sink) {
    return pull(document, cursor, false, sink);
  }

  /**
   * Pulls like {@link #pull} and stays subscribed: items the server stores later are handed to
   * {@code sink} as they arrive, in order, on the client's network thread, until {@link #close}.
   * Blocks on the network until the pull is answered. (A server that will not give this identity
   * the document answers cursor 0 and sends nothing later.)
   */
  public synchronized long subscribe(DocumentId document, long cursor, ItemSink sink) {
    return pull(document, cursor, true, sink);
  }

  private long pull(DocumentId document, long cursor, boolean subscribe, ItemSink sink) {
    byte[] nonce = new byte[SecureMessage.NONCE_LENGTH];
    random.nextBytes(nonce);
    if (subscribe) {
      inbound.subscribing.put(document, sink); // live from its pulled{...} on: see Inbound
    }
    send(Pull.sign(identity.signingKey(), challenge.nonce(), document, cursor, subscribe, Bytes.wrap(nonce), clock.millis(),
        challenge.audience()));
    while (true) {
      SecureMessage m = next(inbox, timeout, SecureMessage.class);
      switch (m) {
        case Items items when items.documentId().equals(document) -> sink.received(decode(items));
        case Pulled pulled when pulled.documentId().equals(document) -> {
          return pulled.cursor();
        }
        default -> throw new SecureSyncException(Problem.PROTOCOL, "unexpected " + m.type() + " while pulling");
      }
    }
  }

  /**
   * Pushes {@code items} (in a causal order) and returns once the server has durably stored them.
   * Blocks on the network.
   *
   * @throws SecureSyncException {@code REJECTED} (with the server's reasons) if it did not accept
   *     every item; the accepted ones are stored
   */
  public synchronized void push(DocumentId document, List<SecureItem> items) {
    List<String> reasons = new ArrayList<>();
    int from = 0;
    while (from < items.size()) {
      List<Bytes> batch = new ArrayList<>();
      long bytes = 0;
      int to = from;
      while (to < items.size() && batch.size() < SecureMessage.MAX_ITEMS
          && (batch.isEmpty() || bytes + items.get(to).encoded().size() <= SecureItem.MAX_ENCODED_BYTES)) {
        batch.add(items.get(to).encoded());
        bytes += items.get(to).encoded().size();
        to++;
      }
      send(new Push(document, batch));
      Pushed answer = next(inbox, timeout, Pushed.class);
      if (!answer.documentId().equals(document) || answer.accepted().size() + answer.rejected().size() != batch.size()) {
        throw new SecureSyncException(Problem.PROTOCOL, "the server's answer does not match the push");
      }
      int base = from;
      answer.rejected().forEach(r -> reasons.add("item " + (base + r.index()) + " (" + items.get(base + r.index()).itemId().hex()
          .substring(0, 16) + "): " + r.reason()));
      from = to;
    }
    if (!reasons.isEmpty()) {
      throw new SecureSyncException(Problem.REJECTED, "the server did not accept " + reasons.size() + " item(s): "
          + reasons.stream().limit(5).collect(Collectors.joining("; ")));
    }
  }

  private static List<SecureItem> decode(Items items) {
    List<SecureItem> out = new ArrayList<>(items.items().size());
    List<SecureItem.Decoded> decoded = SecureItem.decodeAll(items.items().stream().map(SecureStore.StoredBytes::encoded).toList());
    for (SecureItem.Decoded d : decoded) { // signatures checked concurrently; the first bad one in order fails the batch
      switch (d) {
        case SecureItem.Decoded.Item(SecureItem item) -> out.add(item);
        case SecureItem.Decoded.Malformed(String reason) ->
            throw new SecureSyncException(Problem.PROTOCOL, "the server sent a malformed item (" + reason + ")");
      }
    }
    return out;
  }

  private void send(SecureMessage message) {
    try {
      socket.sendBinary(ByteBuffer.wrap(message.encode()), true).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new SecureSyncException(Problem.CONNECTION, "sending " + message.type() + " failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new SecureSyncException(Problem.TIMEOUT, "sending " + message.type() + " took over " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecureSyncException(Problem.CONNECTION, "interrupted", e);
    }
  }

  /** The next message, which must be a {@code type}; an {@code error} or the end of the connection throws. */
  private static <T extends SecureMessage> T next(BlockingQueue<Object> inbox, Duration timeout, Class<T> type) {
    Object o;
    try {
      o = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecureSyncException(Problem.CONNECTION, "interrupted", e);
    }
    return switch (o) {
      case null -> throw new SecureSyncException(Problem.TIMEOUT, "no answer from the server within " + timeout);
      case SecureMessage.Error e -> throw new SecureSyncException(Problem.REFUSED, "the server refused: " + e.message());
      case Ended e -> {
        inbox.add(e); // every later wait ends too
        throw new SecureSyncException(Problem.CONNECTION, "the connection ended: " + e.why());
      }
      case SecureProtocolException e -> throw new SecureSyncException(Problem.PROTOCOL, "the server sent an undecodable message", e);
      default -> {
        if (!type.isInstance(o)) {
          throw new SecureSyncException(Problem.PROTOCOL, "expected " + type.getSimpleName() + ", got "
              + ((SecureMessage) o).type());
        }
        yield type.cast(o);
      }
    };
  }

  /** Closes the connection (status 1000, then the socket and the HTTP client's threads, without waiting for the server). */
  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(1, TimeUnit.SECONDS)
        .whenComplete((w, e) -> {
          socket.abort();
          http.shutdownNow();
        });
  }

  /**
   * Reassembles messages (bounded by {@link SecureMessage#MAX_FRAME_BYTES}) and queues them
   * decoded, except items of a live subscription, which go to its sink. A subscription becomes live
   * when its pull's {@code pulled} passes here, so every later item of it finds it live and every
   * earlier one goes to the pull.
   */
  private static final class Inbound implements WebSocket.Listener {
    private final BlockingQueue<Object> inbox;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final ConcurrentHashMap<DocumentId, ItemSink> subscribing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<DocumentId, ItemSink> live = new ConcurrentHashMap<>();

    Inbound(BlockingQueue<Object> inbox) {
      this.inbox = inbox;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      if (partial.size() + data.remaining() > SecureMessage.MAX_FRAME_BYTES) {
        inbox.add(new Ended("the server sent a message over " + SecureMessage.MAX_FRAME_BYTES + " bytes"));
        webSocket.abort();
        return null;
      }
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        try {
          route(SecureMessage.decode(partial.toByteArray()), webSocket);
        } catch (SecureProtocolException e) {
          inbox.add(e);
        }
        partial.reset();
      }
      webSocket.request(1);
      return null;
    }

    private void route(SecureMessage m, WebSocket webSocket) {
      switch (m) {
        case Items items when live.containsKey(items.documentId()) -> {
          try {
            live.get(items.documentId()).received(decode(items));
          } catch (RuntimeException e) {
            live.remove(items.documentId());
            inbox.add(new Ended("a subscription's items could not be taken: " + e.getMessage()));
            webSocket.abort();
          }
        }
        case Pulled pulled when subscribing.containsKey(pulled.documentId()) -> {
          live.put(pulled.documentId(), subscribing.remove(pulled.documentId()));
          inbox.add(m);
        }
        default -> inbox.add(m);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      inbox.add(new Ended("the server sent text"));
      webSocket.abort();
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      inbox.add(new Ended("closed by the server (" + statusCode + (reason.isEmpty() ? "" : ": " + reason) + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      inbox.add(new Ended(String.valueOf(error.getMessage())));
    }
  }
}
