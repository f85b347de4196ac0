package dev.loam.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A WebSocket client written by hand over a plain socket, for tests that need what a well-behaved
 * client never does: stay silent, never answer pings, send frames that never end. Frames it sends
 * are masked with the key 0 (so payloads go out as they are).
 */
final class RawSocket implements AutoCloseable {
  final Socket socket;
  final OutputStream out;
  final DataInputStream in;

  private RawSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
    socket.setSoTimeout(10_000);
  }

  /** Connects and writes {@code first} (a request, and maybe frames behind it) in one write. */
  static RawSocket connect(int port, byte[] first) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    RawSocket s = new RawSocket(socket);
    s.send(first);
    return s;
  }

  /** Connects and upgrades (reading the 101 response). */
  static RawSocket upgrade(int port) throws IOException {
    RawSocket s = connect(port, ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String head = s.responseHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
    return s;
  }

  /** The HTTP response's status line and headers (what came before the stream ended, if it did). */
  String responseHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A client frame header: FIN when {@code fin}, masked with the key 0, a 64-bit length. */
  static byte[] header(int opcode, boolean fin, long length) {
    byte[] h = new byte[14];
    h[0] = (byte) ((fin ? 0x80 : 0) | opcode);
    h[1] = (byte) (0x80 | 127);
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (length >>> (56 - 8 * i));
    }
    return h; // the last four bytes are the mask key, 0
  }

  /** Sends {@code payload} as one binary message in one frame. */
  void sendBinary(byte[] payload) throws IOException {
    out.write(header(0x02, true, payload.length));
    out.write(payload);
    out.flush();
  }

  /** One frame from the server: its opcode and payload. */
  record Frame(int opcode, byte[] data) {
    /** A close frame's status code. */
    int status() {
      return ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    }

    /** A close frame's reason. */
    String reason() {
      return new String(data, 2, data.length - 2, StandardCharsets.UTF_8);
    }
  }

  /** The next frame the server sends, or null if the stream ends before another frame starts. */
  Frame nextFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    if ((b1 & 0x80) != 0) {
      throw new IOException("a server's frame is masked");
    }
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] data = new byte[Math.toIntExact(len)];
    in.readFully(data);
    return new Frame(b0 & 0x0f, data);
  }

  /** The opcode of the next frame the server sends, or -1 if the stream ends first. */
  int nextOpcode() throws IOException {
    Frame f = nextFrame();
    return f == null ? -1 : f.opcode();
  }

  void ping(byte[] payload) throws IOException {
    byte[] h = {(byte) 0x89, (byte) (0x80 | payload.length), 0, 0, 0, 0};
    out.write(h);
    out.write(payload);
    out.flush();
  }

  /** Reads frames (skipping others) until a pong carrying {@code payload}. */
  void awaitPong(byte[] payload) throws IOException {
    while (true) {
      Frame f = nextFrame();
      if (f == null) {
        throw new java.io.EOFException("the stream ended before a pong");
      }
      if (f.opcode() == 0x0a && Arrays.equals(f.data(), payload)) {
        return;
      }
    }
  }

  /** True if the server ends the stream (frames skipped; a reset counts) before the read timeout. */
  boolean ends() throws IOException {
    try {
      awaitEnd();
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  /** Reads and discards until the server ends the connection (a reset counts). */
  void awaitEnd() throws IOException {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // discard
      }
    } catch (java.net.SocketException reset) {
      // ended by a reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
