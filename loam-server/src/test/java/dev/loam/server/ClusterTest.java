package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two {@link LoamServer}s over one embedded PostgreSQL database form a cluster: Loam clients of
 * different nodes edit one document and converge, a document created through one node is found
 * through the other, and a change whose notification was lost reaches the node's clients by the
 * catch-up that follows the listener's reconnection.
 */
class ClusterTest {
  private static EmbeddedPostgres postgres;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgresSupport.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private LoamServer node(String url) throws Exception {
    return node(url, java.time.InstantSource.system());
  }

  private LoamServer node(String url, java.time.InstantSource clock) throws Exception {
    LoamServer s = LoamServer.builder().port(0).host("127.0.0.1").clock(clock)
        .storage(PostgresStorageAdapter.builder().url(url).poolSize(4).build()).build().start();
    open.add(s);
    await("the node listens for the others' changes", () -> health(s).contains("\"listener\":\"connected\""));
    return s;
  }

  private Repo client(String name, LoamServer server) throws Exception {
    Repo r = Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter())
        .network(WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:" + server.port()))
            .initialBackoff(Duration.ofMillis(50)).build())
        .build();
    open.add(r);
    within(name + " connects", r.whenPeerConnected());
    return r;
  }

  @Test
  void clientsOfTwoNodesEditOneDocumentAndConverge() throws Exception {
    String url = PostgresStorageAdapterTest.newDatabase(postgres);
    LoamServer one = node(url);
    LoamServer two = node(url);
    assertEquals(one.storageId(), two.storageId(), "the nodes announce one storage");
    Repo a = client("a", one);
    Repo b = client("b", two);
    DocHandle ha = a.create();
    ha.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    within("node one has stored the document", ha.whenPeerHas(one.peerId(), ha.heads()));
    // created through node one, found through node two (which reads the database)
    DocHandle hb = within("b finds the document through node two", b.find(ha.url()).whenReady());
    for (int i = 0; i < 20; i++) {
      append(ha, "a" + i);
      append(hb, "b" + i);
    }
    awaitChange(ha, "a has all 40 items", () -> length(ha) == 40);
    awaitChange(hb, "b has all 40 items", () -> length(hb) == 40);
    assertEquals(ha.heads(), hb.heads());
    assertEquals(ha.toJson(), hb.toJson());
    for (int i = 0; i < 20; i++) {
      assertTrue(ha.toJson().contains("\"a" + i + "\"") && ha.toJson().contains("\"b" + i + "\""), ha.toJson());
    }
    String metrics = get(two, "/metrics").body();
    assertTrue(counter(metrics, "loam_cluster_notifications_received_total") > 0, metrics);
    assertTrue(metrics.contains("loam_cluster_notification_lag_seconds_bucket"), metrics);
    assertTrue(counter(get(one, "/metrics").body(), "loam_cluster_notifications_sent_total") > 0);
  }

  @Test
  void aChangeWhoseNotificationWasLostArrivesByTheCatchUpAfterTheListenerReconnects() throws Exception {
    String url = PostgresStorageAdapterTest.newDatabase(postgres);
    LoamServer one = node(url);
    Repo b = client("b", one);
    // a writer that stores changes and tells nobody: as a node whose notification was lost
    Repo writer = Repo.builder().storage(PostgresStorageAdapter.builder().url(url).poolSize(2).build()).build();
    open.add(writer);
    DocHandle w = writer.create();
    w.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    writer.flush();
    DocHandle hb = within("b opens the document through the node", b.find(w.url()).whenReady());
    append(w, "unannounced");
    writer.flush();
    double catchUps = counter(get(one, "/metrics").body(), "loam_cluster_catchups_total");
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             + "WHERE application_name LIKE 'loam-cluster-listener%'")) {
      assertTrue(rs.next(), "the listener's backend was found");
    }
    awaitChange(hb, "b has the change stored while no notification came", () -> length(hb) == 1);
    assertEquals(w.heads(), hb.heads());
    String metrics = get(one, "/metrics").body();
    assertTrue(counter(metrics, "loam_cluster_catchups_total") > catchUps, metrics);
    assertTrue(counter(metrics, "loam_cluster_listener_lost_total") >= 1, metrics);
  }

  @Test
  void healthIsNotReadyWhileTheDatabaseIsUnreachable() throws Exception {
    String url = PostgresStorageAdapterTest.newDatabase(postgres);
    LoamServer one = node(url);
    HttpResponse<String> up = get(one, "/health");
    assertEquals(200, up.statusCode(), up.body());
    String db = url.replaceAll(".*/([^/?]+).*", "$1");
    // forbid new connections to the database and end the node's: storage and listener both fail
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
      try {
        st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'").close();
        await("/health says 503", () -> get(one, "/health").statusCode() == 503);
      } finally {
        st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
      }
    }
    await("/health says 200 again", () -> get(one, "/health").statusCode() == 200);
  }

  @Test
  void aMemberAddedThroughOneNodeMayPullThroughTheOtherThatHadJudgedItBefore() throws Exception {
    String url = PostgresStorageAdapterTest.newDatabase(postgres);
    SecureFixture.Clock clock = new SecureFixture.Clock();
    SecureFixture f = new SecureFixture();
    LoamServer one = node(url, clock);
    LoamServer two = node(url, clock);
    dev.loam.secure.Identity bob = f.identity();
    dev.loam.secure.Envelope first = f.envelope(f.alice, List.of(), SecureFixture.on(f.genesis), "first words");
    try (SecureSocket alice = SecureSocket.authenticated(one.port(), f.alice, clock.millis())) {
      assertEquals(List.of(0, 1), alice.push(f.doc, f.genesis, first).accepted());
    }
    try (SecureSocket b = SecureSocket.authenticated(two.port(), bob, clock.millis())) {
      assertEquals(0, b.pullAll(b.pull(bob, f.doc, 0, false, clock.millis())).items().size(), "not a member yet");
    }
    dev.loam.secure.MembershipOp.Add addBob = f.add(f.alice, SecureFixture.on(f.genesis), bob, dev.loam.secure.Level.READ);
    try (SecureSocket alice = SecureSocket.authenticated(one.port(), f.alice, clock.millis())) {
      assertEquals(List.of(0), alice.push(f.doc, addBob).accepted());
    }
    try (SecureSocket b = SecureSocket.authenticated(two.port(), bob, clock.millis())) {
      SecureSocket.Pulled pulled = b.pullAll(b.pull(bob, f.doc, 0, false, clock.millis()));
      assertEquals(List.of(f.genesis.encoded(), first.encoded(), addBob.encoded()), pulled.items(),
          "node two judges by the log with the addition stored through node one");
      assertEquals(3, pulled.cursor());
    }
  }

  static void append(DocHandle h, String text) {
    h.change(tx -> {
      ObjId items = ((Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
      tx.insert(items, tx.length(items), ScalarValue.of(text));
    });
  }

  static int length(DocHandle h) {
    return h.read(d -> d.length(((Value.Obj) d.get(ObjId.ROOT, "items").orElseThrow()).id()));
  }

  private static HttpResponse<String> get(LoamServer s, String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  private static String health(LoamServer s) {
    return get(s, "/health").body();
  }

  /** The sum of a Prometheus counter's samples, 0 if absent. */
  private static double counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  static <T> T within(String what, CompletableFuture<T> future) throws Exception {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("timed out waiting until " + what);
    }
  }

  /** Polls {@code condition} until it holds, failing after 30 s: for states that announce no change (HTTP answers). */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(20); // a poll interval, not a wait for an outcome
    }
  }

  /** Waits until {@code condition} holds, checking it now and after each change to {@code h}. */
  static void awaitChange(DocHandle h, String what, BooleanSupplier condition) throws Exception {
    CompletableFuture<Void> holds = new CompletableFuture<>();
    DocHandle.Listener listener = new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (condition.getAsBoolean()) {
          holds.complete(null);
        }
      }
    };
    h.addListener(listener);
    try {
      if (condition.getAsBoolean()) {
        holds.complete(null);
      }
      within(what, holds);
    } finally {
      h.removeListener(listener);
    }
  }
}
