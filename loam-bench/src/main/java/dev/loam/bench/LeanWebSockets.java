package dev.loam.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Many WebSocket client connections (RFC 6455) on a few selector threads, for a load generator:
 * non-blocking connect and opening handshake, binary messages out as single masked frames,
 * messages in reassembled from fragments, pings answered, the closing handshake answered.
 * Listener callbacks of a connection run on its selector thread, one at a time and in order, and
 * must not block. Thread-safe: {@link Connection#send} and {@link Connection#abort} from any thread.
 */
final class LeanWebSockets implements AutoCloseable {
  /** The largest message accepted from a server; larger ones fail the connection. */
  static final int MAX_MESSAGE = 64 << 20;
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** What a connection tells its owner; runs on the connection's selector thread. */
  interface Listener {
    void onBinary(Connection c, byte[] message);

    /** The connection ended: closed by the server (its code and reason) or failed (code 1006). */
    void onClosed(Connection c, int code, String reason);
  }

  private final List<Loop> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();

  /** Starts {@code threads} selector threads (daemons). */
  LeanWebSockets(int threads) throws IOException {
    for (int i = 0; i < threads; i++) {
      Loop l = new Loop(Selector.open());
      loops.add(l);
      Thread.ofPlatform().daemon().name("ws-loop-" + i).start(l::run);
    }
  }

  /** Opens a connection to a {@code ws://} URL; completes once the opening handshake succeeded. */
  CompletableFuture<Connection> connect(URI url, Listener listener) {
    Loop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
    Connection c = new Connection(loop, url, listener);
    loop.submit(c::start);
    return c.opened;
  }

  @Override
  public void close() {
    for (Loop l : loops) {
      l.submit(l::shutdown);
    }
  }

  /** One selector thread and the connections on it. */
  private static final class Loop {
    final Selector selector;
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 << 10);
    volatile @Nullable Thread thread;
    volatile boolean running = true;

    Loop(Selector selector) {
      this.selector = selector;
    }

    void submit(Runnable task) {
      tasks.add(task);
      selector.wakeup();
    }

    boolean onLoop() {
      return Thread.currentThread() == thread;
    }

    void shutdown() {
      running = false;
      for (SelectionKey k : selector.keys()) {
        ((Connection) k.attachment()).fail("the client was closed");
      }
    }

    void run() {
      thread = Thread.currentThread();
      try (selector) {
        while (running) {
          selector.select();
          for (Runnable t; (t = tasks.poll()) != null; ) {
            t.run();
          }
          for (SelectionKey k : selector.selectedKeys()) {
            Connection c = (Connection) k.attachment();
            try {
              if (!k.isValid()) {
                continue;
              }
              if (k.isConnectable()) {
                c.finishConnect();
              }
              if (k.isValid() && k.isWritable()) {
                c.flush();
              }
              if (k.isValid() && k.isReadable()) {
                c.read(readBuffer);
              }
            } catch (IOException | RuntimeException e) {
              c.fail(e.toString());
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        for (SelectionKey k : selector.keys()) {
          ((Connection) k.attachment()).fail("selector failed: " + e);
        }
      }
    }
  }

  /** One client connection. Its state is confined to its loop's thread except the send queue. */
  static final class Connection {
    private final Loop loop;
    private final URI url;
    private final Listener listener;
    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    private final String key;
    private @Nullable SocketChannel channel;
    private @Nullable SelectionKey selectionKey;
    private boolean handshaken;
    private boolean closeSent;
    private boolean ended;
    private byte @Nullable [] pending; // received bytes not yet a whole frame or header
    private final ByteArrayOutputStream fragments = new ByteArrayOutputStream(0);
    private boolean fragmented;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(); // guarded by itself
    private boolean flushScheduled; // guarded by out

    Connection(Loop loop, URI url, Listener listener) {
      this.loop = loop;
      this.url = url;
      this.listener = listener;
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /** Queues one binary message (a single masked frame); dropped once the connection ended. */
    void send(byte[] message) {
      enqueue(frame(2, message));
    }

    /** Drops the connection at once, no closing handshake. */
    void abort() {
      loop.submit(() -> fail("aborted"));
    }

    private void start() {
      try {
        SocketChannel ch = SocketChannel.open();
        channel = ch;
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        int port = url.getPort() < 0 ? 80 : url.getPort();
        boolean done = ch.connect(new InetSocketAddress(url.getHost(), port));
        selectionKey = ch.register(loop.selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
        if (done) {
          sendHandshake();
        }
      } catch (IOException e) {
        fail("could not connect: " + e);
      }
    }

    private void finishConnect() throws IOException {
      if (channel.finishConnect()) {
        selectionKey.interestOps(SelectionKey.OP_READ);
        sendHandshake();
      }
    }

    private void sendHandshake() {
      String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
          + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
      String request = "GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
          + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      enqueue(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }

    private void enqueue(ByteBuffer bytes) {
      boolean schedule;
      synchronized (out) {
        if (ended) {
          return;
        }
        out.add(bytes);
        schedule = !flushScheduled;
        flushScheduled = true;
      }
      if (loop.onLoop()) {
        flushOrFail();
      } else if (schedule) {
        loop.submit(this::flushOrFail);
      }
    }

    private void flushOrFail() {
      try {
        flush();
      } catch (IOException e) {
        fail(e.toString());
      }
    }

    /** Writes what is queued; waits for OP_WRITE when the socket's buffer is full. */
    private void flush() throws IOException {
      SocketChannel ch = channel;
      SelectionKey k = selectionKey;
      if (ch == null || k == null || !k.isValid() || !ch.isConnected()) {
        return; // the connect completes later and flushes then
      }
      synchronized (out) {
        flushScheduled = false;
        while (!out.isEmpty()) {
          ByteBuffer[] batch = out.toArray(ByteBuffer[]::new);
          ch.write(batch);
          while (!out.isEmpty() && !out.peek().hasRemaining()) {
            out.poll();
          }
          if (!out.isEmpty()) {
            k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return;
          }
        }
        k.interestOps(SelectionKey.OP_READ);
      }
    }

    private void read(ByteBuffer buffer) throws IOException {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        fail("the server closed the TCP connection");
        return;
      }
      buffer.flip();
      byte[] data;
      if (pending == null) {
        data = new byte[buffer.remaining()];
        buffer.get(data);
      } else {
        data = new byte[pending.length + buffer.remaining()];
        System.arraycopy(pending, 0, data, 0, pending.length);
        buffer.get(data, pending.length, buffer.remaining());
      }
      int used = handshaken ? 0 : readHandshake(data);
      if (used < 0) {
        pending = data;
        return;
      }
      while (!ended) {
        int frame = readFrame(data, used);
        if (frame == 0) {
          break;
        }
        used += frame;
      }
      pending = ended || used == data.length ? null : java.util.Arrays.copyOfRange(data, used, data.length);
    }

    /** The length of the HTTP response header if whole (and valid: else fails), -1 if not yet whole. */
    private int readHandshake(byte[] data) {
      int end = -1;
      for (int i = 3; i < data.length; i++) {
        if (data[i] == '\n' && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') {
          end = i + 1;
          break;
        }
      }
      if (end < 0) {
        if (data.length > 16 << 10) {
          fail("no end to the handshake response");
        }
        return -1;
      }
      String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
      String expected = accept(key);
      boolean upgraded = head.startsWith("HTTP/1.1 101");
      boolean accepted = head.lines().anyMatch(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-accept:")
          && l.substring(l.indexOf(':') + 1).trim().equals(expected));
      if (!upgraded || !accepted) {
        fail("the server refused the WebSocket: " + head.lines().findFirst().orElse(""));
        return data.length;
      }
      handshaken = true;
      opened.complete(this);
      return end;
    }

    /** Handles the frame at {@code at} if whole and returns its length; 0 when more bytes are needed. */
    private int readFrame(byte[] d, int at) {
      if (d.length - at < 2) {
        return 0;
      }
      boolean fin = (d[at] & 0x80) != 0;
      int opcode = d[at] & 0x0f;
      boolean masked = (d[at + 1] & 0x80) != 0;
      long len = d[at + 1] & 0x7f;
      int header = 2;
      if (len == 126) {
        if (d.length - at < 4) {
          return 0;
        }
        len = ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
        header = 4;
      } else if (len == 127) {
        if (d.length - at < 10) {
          return 0;
        }
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | (d[at + 2 + i] & 0xff);
        }
        header = 10;
      }
      if (masked || (d[at] & 0x70) != 0) {
        fail("a masked frame or reserved bits from the server");
        return 0;
      }
      if (len > MAX_MESSAGE || fragments.size() + len > MAX_MESSAGE) {
        fail("a message over " + MAX_MESSAGE + " bytes");
        return 0;
      }
      if (d.length - at - header < len) {
        return 0;
      }
      int start = at + header;
      int n = (int) len;
      switch (opcode) {
        case 0, 1, 2 -> data(opcode, fin, d, start, n);
        case 8 -> closeReceived(d, start, n);
        case 9 -> enqueue(frame(10, java.util.Arrays.copyOfRange(d, start, start + n)));
        case 10 -> { }
        default -> fail("an unknown opcode " + opcode);
      }
      return header + n;
    }

    private void data(int opcode, boolean fin, byte[] d, int start, int n) {
      if ((opcode == 0) != fragmented) {
        fail(opcode == 0 ? "a continuation frame with no message to continue" : "a new message inside a fragmented one");
        return;
      }
      if (fin && !fragmented) {
        listener.onBinary(this, java.util.Arrays.copyOfRange(d, start, start + n));
        return;
      }
      fragments.write(d, start, n);
      fragmented = !fin;
      if (fin) {
        byte[] whole = fragments.toByteArray();
        fragments.reset();
        listener.onBinary(this, whole);
      }
    }

    private void closeReceived(byte[] d, int start, int n) {
      int code = n >= 2 ? ((d[start] & 0xff) << 8) | (d[start + 1] & 0xff) : 1005;
      String reason = n > 2 ? new String(d, start + 2, n - 2, StandardCharsets.UTF_8) : "";
      if (!closeSent) {
        closeSent = true;
        byte[] body = n >= 2 ? new byte[] {d[start], d[start + 1]} : new byte[0];
        enqueue(frame(8, body));
      }
      end(code, reason);
    }

    private void fail(String why) {
      end(1006, why);
    }

    private void end(int code, String reason) {
      synchronized (out) {
        if (ended) {
          return;
        }
        ended = true;
      }
      try {
        SocketChannel ch = channel;
        if (ch != null) {
          ch.close();
        }
      } catch (IOException ignored) {
        // closing anyway
      }
      if (!opened.isDone()) {
        opened.completeExceptionally(new IOException(reason));
      }
      listener.onClosed(this, code, reason);
    }

    /** One masked client frame (RFC 6455 5.3: a fresh random key per frame). */
    private static ByteBuffer frame(int opcode, byte[] payload) {
      int n = payload.length;
      int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
      ByteBuffer b = ByteBuffer.allocate(header + 4 + n);
      b.put((byte) (0x80 | opcode));
      if (n < 126) {
        b.put((byte) (0x80 | n));
      } else if (n < 65536) {
        b.put((byte) (0x80 | 126)).putShort((short) n);
      } else {
        b.put((byte) (0x80 | 127)).putLong(n);
      }
      int mask = ThreadLocalRandom.current().nextInt();
      b.putInt(mask);
      byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
      for (int i = 0; i < n; i++) {
        b.put((byte) (payload[i] ^ m[i & 3]));
      }
      return b.flip();
    }
  }

  /** The Sec-WebSocket-Accept a server must answer {@code key} with. */
  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
    }
  }
}
