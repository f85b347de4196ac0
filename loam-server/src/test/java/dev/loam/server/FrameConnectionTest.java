package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's WebSocket layer ({@link WebSocketUpgrade}, {@link FrameConnection}) against RFC
 * 6455, driven by a client written here byte by byte: the handshake (the RFC's own example key
 * and accept value), messages cut into random frames with random masks and control frames between
 * the fragments and written in random slices (seeded), every protocol violation the RFC names
 * failing the connection with its status, both close handshakes, back-pressure (nothing read
 * after a message until the listener asks), the output shut down, and a frame declaring an
 * enormous length delivered in pieces as its bytes arrive.
 */
class FrameConnectionTest {
  private @Nullable Server jetty;
  private int port;
  /** What the listener of the latest socket heard, in order. */
  private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
  private final CompletableFuture<FrameConnection> opened = new CompletableFuture<>();

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
  }

  /** A server whose sockets get listeners from {@code listeners}. */
  private void start(Supplier<FrameConnection.Listener> listeners) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new WebSocketUpgrade(null, request -> listeners.get()));
    server.start();
    jetty = server;
    port = connector.getLocalPort();
  }

  /** Echoes each whole message back and asks for the next one; records what it hears. */
  private final class Echo implements FrameConnection.Listener {
    private final boolean demandAfterMessage;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private @Nullable FrameConnection socket;

    Echo(boolean demandAfterMessage) {
      this.demandAfterMessage = demandAfterMessage;
    }

    @Override
    public void onOpen(FrameConnection s) {
      socket = s;
      opened.complete(s);
      s.demand();
    }

    @Override
    public void onData(ByteBuffer piece, boolean text, boolean last) {
      byte[] b = new byte[piece.remaining()];
      piece.get(b);
      message.writeBytes(b);
      if (!last) {
        heard.add("piece " + b.length);
        return;
      }
      byte[] whole = message.toByteArray();
      message.reset();
      heard.add((text ? "text " : "binary ") + whole.length);
      FrameConnection s = socket;
      s.sendBinary(whole, () -> {});
      if (demandAfterMessage) {
        s.demand();
      }
    }

    @Override
    public void onControl() {
      heard.add("control");
    }

    @Override
    public void onClose(int status, String reason, @Nullable Throwable failure) {
      heard.add("close " + status + " " + reason);
    }
  }

  // --- a client, by hand (RawSocket) ---

  private static RawSocket connect(int port, String request) throws IOException {
    return RawSocket.connect(port, request.getBytes(StandardCharsets.US_ASCII));
  }

  /** Upgraded with a Connection header of two tokens, on a path of its own. */
  private static RawSocket upgraded(int port) throws IOException {
    RawSocket c = connect(port, upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", "13"));
    String head = c.responseHead();
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    return c;
  }

  private static String upgradeRequest(String key, String version) {
    return "GET /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
  }

  /** A client frame: FIN and opcode byte as given, masked with {@code mask}. */
  static byte[] frame(int b0, byte[] payload, byte[] mask) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    int n = payload.length;
    if (n < 126) {
      f.write(0x80 | n);
    } else if (n <= 0xffff) {
      f.write(0x80 | 126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) n >>> (8 * i)));
      }
    }
    f.writeBytes(mask);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  static byte[] frame(int b0, byte[] payload) {
    return frame(b0, payload, new byte[] {0x37, (byte) 0xfa, 0x21, 0x3d});
  }

  static byte[] closeFrame(int status, byte[] reason) {
    byte[] p = new byte[2 + reason.length];
    p[0] = (byte) (status >>> 8);
    p[1] = (byte) status;
    System.arraycopy(reason, 0, p, 2, reason.length);
    return frame(0x88, p);
  }

  private String heard() throws InterruptedException {
    String h = heard.poll(10, TimeUnit.SECONDS);
    assertNotNull(h, "the listener heard nothing in 10 s");
    return h;
  }

  // --- the handshake ---

  @Test
  void theHandshakeAnswersTheRfcsExampleAndRefusesWhatIsNotAnUpgrade() throws Exception {
    start(() -> new Echo(true));
    try (RawSocket c = connect(port, upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", "13"))) {
      String head = c.responseHead();
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head); // RFC 6455, 1.3
      assertTrue(head.toLowerCase().contains("upgrade: websocket\r\n"), head);
      assertTrue(!head.toLowerCase().contains("sec-websocket-extensions"), head);
    }
    try (RawSocket c = connect(port, upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", "8"))) {
      String head = c.responseHead();
      assertTrue(head.startsWith("HTTP/1.1 426"), head);
      assertTrue(head.contains("Sec-WebSocket-Version: 13\r\n"), head);
    }
    try (RawSocket c = connect(port, upgradeRequest("c2hvcnQ=", "13"))) { // 5 bytes, not 16
      assertTrue(c.responseHead().startsWith("HTTP/1.1 400"));
    }
    try (RawSocket c = connect(port, "GET /sync HTTP/1.1\r\nHost: x\r\n\r\n")) { // no upgrade: the next handler (none)
      assertTrue(c.responseHead().startsWith("HTTP/1.1 404"));
    }
  }

  @Test
  void framesSentRightBehindTheUpgradeRequestAreRead() throws Exception {
    start(() -> new Echo(true));
    byte[] request = upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", "13").getBytes(StandardCharsets.US_ASCII);
    byte[] first = concat(request, concat(frame(0x82, new byte[] {7, 8, 9}), frame(0x82, new byte[200])));
    try (RawSocket c = RawSocket.connect(port, first)) {
      assertTrue(c.responseHead().startsWith("HTTP/1.1 101"));
      assertArrayEquals(new byte[] {7, 8, 9}, c.nextFrame().data());
      assertArrayEquals(new byte[200], c.nextFrame().data());
    }
  }

  // --- messages, cut at random ---

  static List<Long> seeds() {
    String env = System.getenv("LOAM_TEST_SEED");
    return env != null ? List.of(Long.parseLong(env)) : List.of(1L, 2L, 3L, 4L, 5L);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void messagesCutIntoRandomFramesAndSlicesArriveWholeAndInOrder(long seed) throws Exception {
    start(() -> new Echo(true));
    Random random = new Random(seed);
    List<byte[]> messages = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<byte[]> pings = new ArrayList<>();
    for (int m = 0; m < 40; m++) {
      int size = random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(300);
      byte[] message = new byte[size];
      random.nextBytes(message);
      messages.add(message);
      int at = 0;
      boolean first = true;
      do {
        int n = Math.min(size - at, random.nextInt(3) == 0 ? size : random.nextInt(200));
        boolean fin = at + n == size;
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        wire.writeBytes(frame((fin ? 0x80 : 0) | (first ? 0x2 : 0x0), Arrays.copyOfRange(message, at, at + n), mask));
        at += n;
        first = false;
        if (!fin && random.nextInt(3) == 0) { // a ping between two fragments
          byte[] ping = new byte[random.nextInt(126)];
          random.nextBytes(ping);
          pings.add(ping);
          random.nextBytes(mask);
          wire.writeBytes(frame(0x89, ping, mask));
        }
      } while (at < size);
    }
    try (RawSocket c = upgraded(port)) {
      byte[] bytes = wire.toByteArray();
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 3000));
            c.out.write(bytes, at, n);
            c.out.flush();
            at += n;
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      int message = 0;
      int ping = 0;
      while (message < messages.size()) {
        RawSocket.Frame f = c.nextFrame();
        assertNotNull(f, "seed " + seed + ": the stream ended after " + message + " messages");
        if (f.opcode() == 0xA) {
          assertArrayEquals(pings.get(ping++), f.data(), "seed " + seed + ": pong " + ping);
        } else {
          assertEquals(0x2, f.opcode(), "seed " + seed);
          assertArrayEquals(messages.get(message++), f.data(), "seed " + seed + ": message " + message);
        }
      }
      writer.join();
      while (ping < pings.size()) {
        RawSocket.Frame f = c.nextFrame();
        assertEquals(0xA, f.opcode(), "seed " + seed);
        assertArrayEquals(pings.get(ping++), f.data(), "seed " + seed);
      }
    }
  }

  // --- protocol violations ---

  static List<Object[]> violations() {
    byte[] none = {};
    return List.of(
        new Object[] {"unmasked", new byte[] {(byte) 0x82, 0x01, 0x42}, 1002},
        new Object[] {"reserved bit", frame(0xC2, new byte[] {1}), 1002},
        new Object[] {"reserved data opcode", frame(0x83, new byte[] {1}), 1002},
        new Object[] {"reserved control opcode", frame(0x8B, none), 1002},
        new Object[] {"fragmented ping", frame(0x09, none), 1002},
        new Object[] {"ping over 125 bytes", frame(0x89, new byte[126]), 1002},
        new Object[] {"continuation of nothing", frame(0x80, new byte[] {1}), 1002},
        new Object[] {"new message inside one", concat(frame(0x02, new byte[] {1}), frame(0x82, new byte[] {2})), 1002},
        new Object[] {"close with one byte", frame(0x88, new byte[] {3}), 1002},
        new Object[] {"close with status 1005", closeFrame(1005, none), 1002},
        new Object[] {"close with status 999", closeFrame(999, none), 1002},
        new Object[] {"close reason not UTF-8", closeFrame(1000, new byte[] {(byte) 0xc3, 0x28}), 1007});
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void aViolationFailsTheConnectionWithItsStatus(String name, byte[] bytes, int status) throws Exception {
    start(() -> new Echo(true));
    try (RawSocket c = upgraded(port)) {
      c.send(bytes);
      RawSocket.Frame f = c.nextFrame();
      assertNotNull(f, name);
      assertEquals(0x8, f.opcode(), name);
      assertEquals(status, f.status(), name + ": " + f.reason());
      assertTrue(c.ends(), name + ": the server ends the connection after its close frame");
      String h;
      do {
        h = heard();
      } while (!h.startsWith("close"));
      assertTrue(h.startsWith("close " + status + " "), h);
    }
  }

  // --- closing ---

  @Test
  void aClientsCloseIsEchoedAndEndsTheConnection() throws Exception {
    start(() -> new Echo(true));
    try (RawSocket c = upgraded(port)) {
      c.send(closeFrame(1000, "bye".getBytes(StandardCharsets.UTF_8)));
      RawSocket.Frame f = c.nextFrame();
      assertEquals(0x8, f.opcode());
      assertEquals(1000, f.status());
      assertTrue(c.ends());
      assertEquals("close 1000 bye", heard());
    }
  }

  @Test
  void afterTheServersCloseDataIsDiscardedUntilTheClientCloses() throws Exception {
    start(() -> new Echo(true));
    try (RawSocket c = upgraded(port)) {
      FrameConnection s = opened.get(10, TimeUnit.SECONDS);
      String reason = "going away, " + "é".repeat(100); // cut at a character boundary within 123 bytes
      s.close(1001, reason);
      RawSocket.Frame f = c.nextFrame();
      assertEquals(0x8, f.opcode());
      assertEquals(1001, f.status());
      assertTrue(f.data().length <= 125);
      assertTrue(reason.startsWith(f.reason()), f.reason());
      c.send(frame(0x82, new byte[] {1, 2, 3})); // after the server's close: ignored
      c.send(closeFrame(1001, new byte[0]));
      assertTrue(c.ends());
      assertEquals("close 1001 ", heard());
      assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "nothing else reached the listener");
    }
  }

  @Test
  void nothingIsReadAfterAMessageUntilTheListenerAsks() throws Exception {
    start(() -> new Echo(false));
    try (RawSocket c = upgraded(port)) {
      c.send(concat(frame(0x82, new byte[] {1}), frame(0x82, new byte[] {2, 3})));
      assertEquals("binary 1", heard());
      assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "the second message waits for demand");
      opened.get().demand();
      assertEquals("binary 2", heard());
    }
  }

  @Test
  void shuttingTheOutputDownDropsWhatIsQueuedAndDrainsTheClient() throws Exception {
    start(() -> new Echo(true));
    try (RawSocket c = upgraded(port)) {
      FrameConnection s = opened.get(10, TimeUnit.SECONDS);
      s.shutdownOutput();
      s.sendBinary(new byte[] {9}, () -> heard.add("dropped"));
      assertEquals("dropped", heard());
      assertNull(c.nextFrame(), "the stream ends with no frame");
      c.send(frame(0x82, new byte[] {1})); // drained, not heard
      c.socket.shutdownOutput();
      assertEquals("close 1006 ", heard());
    }
  }

  @Test
  void aFrameDeclaringAnEnormousLengthIsDeliveredInPiecesAsItArrives() throws Exception {
    start(() -> new Echo(true));
    try (RawSocket c = upgraded(port)) {
      byte[] header = {(byte) 0x82, (byte) (0x80 | 127), 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // 2^62 bytes, mask 0
      c.send(header);
      int sent = 0;
      int got = 0;
      for (int i = 0; i < 10; i++) {
        c.send(new byte[10_000]);
        sent += 10_000;
        while (got < sent) {
          String h = heard();
          assertTrue(h.startsWith("piece "), h);
          got += Integer.parseInt(h.substring(6));
        }
      }
      assertEquals(sent, got);
    }
  }
}
