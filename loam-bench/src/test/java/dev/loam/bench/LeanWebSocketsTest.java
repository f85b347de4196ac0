package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LeanWebSockets} against a hand-written RFC 6455 server on a plain socket: the opening
 * handshake, a message split into fragments with a ping between them, a message over 64 KiB
 * (64-bit length), masked client frames, the pong, and the closing handshake.
 */
class LeanWebSocketsTest {
  /** One frame as the server read it (unmasked), with whether it was masked. */
  private record Frame(int opcode, boolean fin, boolean masked, byte[] payload) {}

  @Test
  void speaksRfc6455WithAServer() throws Exception {
    Random random = new Random(7);
    byte[] big = new byte[70_000];
    random.nextBytes(big);
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         LeanWebSockets sockets = new LeanWebSockets(1)) {
      CompletableFuture<LeanWebSockets.Connection> opened = sockets.connect(
          URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/path?q=1"), new LeanWebSockets.Listener() {
            @Override
            public void onBinary(LeanWebSockets.Connection c, byte[] message) {
              received.add(message);
            }

            @Override
            public void onClosed(LeanWebSockets.Connection c, int code, String reason) {
              closed.complete(code + " " + reason);
            }
          });
      try (Socket s = listener.accept()) {
        s.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        String request = readHead(in);
        assertTrue(request.startsWith("GET /path?q=1 HTTP/1.1\r\n"), request);
        String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
            .substring("Sec-WebSocket-Key: ".length());
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + LeanWebSockets.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        LeanWebSockets.Connection c = opened.get(30, TimeUnit.SECONDS);

        // a message in three fragments, a ping between the first two; then a big one in one frame
        out.write(frame(2, false, "hel".getBytes(StandardCharsets.UTF_8)));
        out.write(frame(9, true, new byte[] {1, 2, 3}));
        out.write(frame(0, false, "lo ".getBytes(StandardCharsets.UTF_8)));
        out.write(frame(0, true, "world".getBytes(StandardCharsets.UTF_8)));
        out.write(frame(2, true, big));
        out.flush();
        assertEquals("hello world", new String(received.poll(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertArrayEquals(big, received.poll(30, TimeUnit.SECONDS));
        Frame pong = readFrame(in);
        assertEquals(10, pong.opcode(), "the ping is answered with a pong");
        assertTrue(pong.fin() && pong.masked(), "a client frame is final and masked");
        assertArrayEquals(new byte[] {1, 2, 3}, pong.payload());

        c.send("from the client".getBytes(StandardCharsets.UTF_8));
        c.send(big);
        Frame small = readFrame(in);
        assertEquals(2, small.opcode());
        assertTrue(small.fin() && small.masked(), "a client frame is final and masked");
        assertEquals("from the client", new String(small.payload(), StandardCharsets.UTF_8));
        Frame large = readFrame(in);
        assertTrue(large.masked());
        assertArrayEquals(big, large.payload());

        out.write(frame(8, true, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'}));
        out.flush();
        Frame closing = readFrame(in);
        assertEquals(8, closing.opcode());
        assertArrayEquals(new byte[] {0x03, (byte) 0xe8}, closing.payload(), "the close is answered with its code");
        assertEquals("1000 bye", closed.get(30, TimeUnit.SECONDS));
        assertEquals(-1, in.read(), "the client closes the TCP connection");
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("no end to the request head");
      }
      head.write(b);
      String s = head.toString(StandardCharsets.US_ASCII);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
  }

  /** An unmasked server frame. */
  private static byte[] frame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    int n = payload.length;
    if (n < 126) {
      f.write(n);
    } else if (n < 65536) {
      f.write(126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) n >>> (8 * i)));
      }
    }
    f.writeBytes(payload);
    return f.toByteArray();
  }

  private static Frame readFrame(DataInputStream in) throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    boolean masked = (b1 & 0x80) != 0;
    byte[] mask = new byte[4];
    if (masked) {
      in.readFully(mask);
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    if (masked) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
    }
    return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, masked, payload);
  }
}
