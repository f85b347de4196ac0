package dev.loam.server;

import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * One server's membership in a cluster: several servers over one PostgreSQL database (a
 * {@link PostgresStorageAdapter} without the one-server lock). When this node stores a document's
 * changes it says so on the channel {@value #CHANNEL} with {@code NOTIFY}; a listener thread on a
 * dedicated connection hears the other nodes' notifications and hands each to a {@link Target},
 * which reads the new chunks from the database and syncs them to this node's clients.
 *
 * <p>A notification's payload is text: {@code v1 <node> <epoch millis> <document id> <heads>},
 * the heads as comma-separated hex, or {@code *} when they would not fit PostgreSQL's 8,000-byte
 * payload limit (the receiver then reads the document's new chunks without checking its heads
 * first). Notifications are sent after the chunk's transaction committed, so a receiver always
 * finds the chunk.
 *
 * <p>Notifications are not stored: one sent while a node's listener connection is down is lost
 * to it. So each time the listener (re)connects, the node catches up: it reads, for every document it
 * holds open, the chunks it has not seen (the storage layer remembers per document which chunks
 * it loaded, wrote or absorbed). A document not open on a node needs nothing: it is read whole
 * when opened.
 *
 * <p>Thread-safe: {@link #published} runs on the saving threads, the listener on its own thread.
 */
final class PostgresCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
  /** The notification channel. */
  static final String CHANNEL = "loam_changes";
  /** PostgreSQL refuses a payload of 8,000 bytes or more. */
  static final int MAX_PAYLOAD = 7_999;
  private static final String VERSION = "v1";
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  /** Where heard notifications go; runs on the listener thread, must not block long. */
  interface Target {
    /** Another node stored changes of {@code document} up to {@code heads} (empty: unknown, read anyway). */
    void changed(DocumentId document, Heads heads);

    /** The listener (re)connected after notifications may have been missed: read everything open. */
    void catchUp();
  }

  private final PostgresStorageAdapter db;
  private final String node;
  private final InstantSource clock;
  private final ServerMetrics metrics;
  private final Thread listener;
  private volatile @Nullable Target target;
  private volatile @Nullable Connection listening;
  private volatile boolean connected;
  private volatile boolean closed;

  PostgresCluster(PostgresStorageAdapter db, String node, InstantSource clock, ServerMetrics metrics) {
    this.db = db;
    this.node = node;
    this.clock = clock;
    this.metrics = metrics;
    this.listener = Thread.ofPlatform().daemon().name("loam-cluster-listener").unstarted(this::listen);
    metrics.gauge("loam.cluster.listener.connected", "1 while the cluster's notification listener is connected",
        () -> connected ? 1 : 0);
  }

  /** Starts listening, handing notifications to {@code target}. Does not wait for the connection. */
  void start(Target target) {
    this.target = target;
    listener.start();
  }

  /** Whether the listener is connected and listening: the node hears the others' changes. */
  boolean listenerConnected() {
    return connected;
  }

  /**
   * Tells the other nodes that storage holds {@code document}'s changes up to {@code heads}.
   * Blocks on one statement on a pooled connection; a failure is logged and counted (the others'
   * clients then get the changes on their next catch-up or when the document is next opened).
   */
  void published(DocumentId document, Heads heads) {
    if (closed) {
      return;
    }
    String payload = payload(node, clock.millis(), document, heads);
    try (Connection c = db.pooledConnection(); PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      st.setString(1, CHANNEL);
      st.setString(2, payload);
      st.execute();
      metrics.clusterSent();
    } catch (SQLException e) {
      metrics.clusterSendFailed();
      log.warn("cluster: could not notify the other nodes of document {}: {}", document, e.getMessage());
    }
  }

  /** The notification text for {@code document} at {@code heads}; {@code *} for heads too many to fit. */
  static String payload(String node, long millis, DocumentId document, Heads heads) {
    String head = VERSION + " " + node + " " + millis + " " + document + " ";
    String hashes = heads.isEmpty() ? "*" : heads.toString();
    String full = head + hashes;
    return full.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD ? full : head + "*";
  }

  /** A notification as sent by {@link #payload}; empty for text in another form. */
  record Notice(String node, long millis, DocumentId document, Heads heads) {
    static Optional<Notice> parse(String text) {
      String[] parts = text.split(" ");
      if (parts.length != 5 || !parts[0].equals(VERSION)) {
        return Optional.empty();
      }
      try {
        Optional<DocumentId> doc = DocumentId.tryParse(parts[3]);
        if (doc.isEmpty()) {
          return Optional.empty();
        }
        Heads heads = parts[4].equals("*") ? Heads.EMPTY : Heads.parse(parts[4]);
        return Optional.of(new Notice(parts[1], Long.parseLong(parts[2]), doc.get(), heads));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  private void listen() {
    long backoff = 50;
    while (!closed) {
      try (Connection c = db.dedicatedConnection("loam-cluster-listener " + node)) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        listening = c;
        connected = true;
        backoff = 50;
        log.info("cluster: listening for the other nodes' changes on {}", db.redactedUrl());
        catchUp(); // whatever was stored while we were not listening
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] heard = pg.getNotifications(500);
          if (heard == null) {
            continue;
          }
          for (PGNotification n : heard) {
            hear(n.getParameter());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (connected) {
          metrics.clusterListenerLost();
        }
        connected = false;
        log.warn("cluster: the notification listener lost its connection ({}); reconnecting", e.getMessage());
      } finally {
        connected = false;
        listening = null;
      }
      if (!closed) {
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
      }
    }
  }

  private void catchUp() {
    Target t = target;
    if (t != null) {
      metrics.clusterCatchUp();
      t.catchUp();
    }
  }

  private void hear(String text) {
    Optional<Notice> parsed = Notice.parse(text);
    if (parsed.isEmpty()) {
      log.debug("cluster: ignoring a notification in another form: {}", text);
      return;
    }
    Notice n = parsed.get();
    if (n.node().equals(node)) {
      return; // our own, echoed back
    }
    metrics.clusterReceived(Math.max(0, clock.millis() - n.millis()));
    Target t = target;
    if (t != null) {
      t.changed(n.document(), n.heads());
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis); // backoff between reconnection attempts
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops the listener and closes its connection; waits up to a second for the thread. */
  @Override
  public void close() {
    closed = true;
    Connection c = listening;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing the listener connection failed", e);
      }
    }
    try {
      listener.join(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
