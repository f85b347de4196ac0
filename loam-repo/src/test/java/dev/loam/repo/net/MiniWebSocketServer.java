package dev.loam.repo.net;

import dev.loam.repo.protocol.RepoMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of an RFC 6455 server to drive {@link WebSocketClientAdapter} from tests: accepts
 * connections on a loopback port, reads binary messages (unmasking, joining continuation frames)
 * and writes binary messages, optionally split into fragments. Each accepted socket is a
 * {@link Conn}. Test code only; not thread-safe beyond one test thread per connection.
 */
final class MiniWebSocketServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private final ServerSocket server;
  private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();

  MiniWebSocketServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().start(this::acceptLoop);
  }

  String url() {
    return "ws://127.0.0.1:" + server.getLocalPort() + "/";
  }

  /** The next connection, after its HTTP upgrade. */
  Conn accept() throws InterruptedException {
    Conn c = accepted.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection within 10 s");
    }
    return c;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Conn c = new Conn(s);
        c.upgrade();
        accepted.add(c);
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  static final class Conn implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** One permit per ping received from the client (each answered with a pong). */
    final Semaphore pings = new Semaphore(0);

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
      socket.setSoTimeout(10_000);
    }

    void upgrade() throws IOException {
      String key = null;
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
          key = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      String accept;
      try {
        accept = Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /** The next whole binary message (pings answered, fragments joined); null on close. */
    byte[] readMessage() throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int opcode = b0 & 0x0f;
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] mask = new byte[4];
        if ((b1 & 0x80) != 0) {
          in.readFully(mask);
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
        if (opcode == 8) {
          return null;
        }
        if (opcode == 9) {
          writeFrame(0x8a, payload);
          pings.release();
          continue;
        }
        message.writeBytes(payload);
        if ((b0 & 0x80) != 0) {
          return message.toByteArray();
        }
      }
    }

    RepoMessage read() throws IOException {
      byte[] m = readMessage();
      if (m == null) {
        throw new IOException("closed by the client");
      }
      return RepoMessage.decode(m);
    }

    /** Writes {@code message} as one binary message split into {@code fragments} frames. */
    void write(RepoMessage message, int fragments) throws IOException {
      writeBytes(message.encode(), fragments);
    }

    void writeBytes(byte[] data, int fragments) throws IOException {
      int step = Math.max(1, (data.length + fragments - 1) / fragments);
      int off = 0;
      boolean first = true;
      do {
        int n = Math.min(step, data.length - off);
        boolean last = off + n >= data.length;
        byte[] part = java.util.Arrays.copyOfRange(data, off, off + n);
        writeFrame((last ? 0x80 : 0) | (first ? 0x2 : 0x0), part);
        off += n;
        first = false;
      } while (off < data.length);
    }

    private void writeFrame(int b0, byte[] payload) throws IOException {
      out.write(b0);
      if (payload.length < 126) {
        out.write(payload.length);
      } else if (payload.length < 65536) {
        out.write(126);
        out.write(payload.length >>> 8);
        out.write(payload.length);
      } else {
        out.write(127);
        for (int i = 7; i >= 0; i--) {
          out.write((int) ((long) payload.length >>> (8 * i)));
        }
      }
      out.write(payload);
      out.flush();
    }

    /**
     * Reads (answering pings) on a daemon thread until the client closes or drops the socket;
     * what it reads is discarded. The test thread must not read this connection meanwhile.
     */
    void readInBackground() {
      Thread.ofPlatform().daemon().start(() -> {
        try {
          while (readMessage() != null) {
            // discard
          }
        } catch (IOException e) {
          // dropped
        }
      });
    }

    /** Half-closes: shuts the TCP output (FIN, no close frame) and keeps reading open. */
    void shutdownOutput() throws IOException {
      socket.shutdownOutput();
    }

    /** Drops the TCP connection without a close frame. */
    @Override
    public void close() throws IOException {
      socket.close();
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }
  }
}
