package dev.loam.server;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upgraded WebSocket on a Jetty endpoint: RFC 6455's server side, binary and text data
 * frames, ping, pong and close, no extensions.
 *
 * <p>Reading: the client's frames are read, checked and unmasked by whichever thread finds the
 * socket readable: Jetty's selector itself ({@linkplain AbstractConnection.NonBlocking non-blocking}
 * fill interest, no hand-off to a pool thread), or the thread that {@linkplain #demand asks for the
 * next message} while bytes are already buffered. The {@link Listener} gets each data frame's
 * payload in pieces as the bytes arrive (a frame is never held whole here, whatever length it
 * declares); after the last piece of a message reading pauses until {@link #demand}, which is how
 * the listener applies back-pressure. Pings are answered here; once the server has sent its close
 * frame, or shut its output down, the connection reads on by itself, discarding data, until the
 * client's close frame or the end of the stream. A frame that breaks the protocol (unmasked,
 * reserved bits or opcodes, a control frame fragmented or over 125 bytes, a continuation of
 * nothing, a bad close frame) fails the connection with status 1002 or 1007.
 *
 * <p>Writing: see {@link FrameWriter} (frames queued from any thread, written in gathering writes).
 *
 * <p>The listener is called on one thread at a time and never while this connection holds a
 * lock, except {@link Listener#onClose} for a connection ended from outside (a
 * {@linkplain #disconnect disconnect}, the server stopping), which comes on the thread that ended it.
 */
final class FrameConnection extends AbstractConnection.NonBlocking implements Connection.UpgradeTo {
  private static final Logger log = LoggerFactory.getLogger(FrameConnection.class);
  static final int OP_CONTINUATION = 0x0;
  static final int OP_TEXT = 0x1;
  static final int OP_BINARY = 0x2;
  static final int OP_CLOSE = 0x8;
  static final int OP_PING = 0x9;
  static final int OP_PONG = 0xA;
  private static final int MAX_CONTROL_PAYLOAD = 125;
  private static final int INPUT_BUFFER_BYTES = 8192;

  /** What the socket's user hears; see the class comment for threads. */
  interface Listener {
    /** The socket is open; nothing is read until {@link FrameConnection#demand}. */
    void onOpen(FrameConnection socket);

    /**
     * A piece of a data message, readable during the call only. {@code text} for a text message.
     * After the {@code last} piece of a message, nothing more is read until
     * {@link FrameConnection#demand}.
     */
    void onData(ByteBuffer piece, boolean text, boolean last);

    /** A ping or a pong arrived (the ping is answered already). */
    void onControl();

    /**
     * The connection ended: the client's close frame ({@code status} and {@code reason} as sent;
     * {@link CloseStatus#NO_CODE} if it sent none), a protocol failure, or the end of the stream
     * ({@link CloseStatus#NO_CLOSE}, with the I/O failure if there was one). Called once.
     */
    void onClose(int status, String reason, @Nullable Throwable failure);
  }

  private final Listener listener;
  private final ByteBufferPool pool;

  // --- reading: the fields below are used by the one thread running readLoop (see `running`) ---
  private @Nullable RetainableByteBuffer input;
  /** Whether a data frame's payload is being read (its message's kind is {@code messageOpcode}). */
  private boolean inFrame;
  private boolean frameFin;
  private long payloadLeft;
  private final byte[] mask = new byte[4];
  private int maskAt;
  /** Opcode of the data message in progress (text or binary), or -1 between messages. */
  private int messageOpcode = -1;

  private final Object readLock = new Object();
  /** The listener asked for the next message (guarded by readLock). */
  private boolean demanded;
  /** A thread runs readLoop, or fill interest is registered (guarded by readLock). */
  private boolean running;
  /** Reading has ended for good (guarded by readLock). */
  private boolean inputDone;

  private final FrameWriter out;
  private final AtomicBoolean notified = new AtomicBoolean();

  FrameConnection(EndPoint endPoint, Executor executor, ByteBufferPool pool, Listener listener) {
    super(endPoint, executor);
    this.pool = pool;
    this.listener = listener;
    this.out = new FrameWriter(endPoint);
  }

  // --- the user's side ---

  /** Reads on: the next message (the first after {@link Listener#onOpen}). Any thread. */
  void demand() {
    synchronized (readLock) {
      demanded = true;
      if (running || inputDone) {
        return;
      }
      running = true;
    }
    readLoop();
  }

  /** Queues one binary message; {@code done} runs once it is written or can no longer be. Any thread. */
  void sendBinary(byte[] payload, Runnable done) {
    out.sendBinary(payload, done);
  }

  /** Queues a ping with an empty payload. */
  void sendPing() {
    out.sendPing();
  }

  /**
   * Starts the close handshake: queues a close frame with {@code status} and {@code reason} (cut to
   * fit 123 bytes), after which nothing more is sent; the connection reads on until the client's
   * close frame, then ends. Does nothing if a close frame was queued already.
   */
  void close(int status, String reason) {
    out.sendClose(status, reason, false);
    readOnByItself();
  }

  /** Ends the TCP connection at once; what is queued is dropped. */
  void disconnect() {
    getEndPoint().close();
  }

  /**
   * Sends nothing more, not even what is queued, and shuts the TCP output down once any write in
   * flight is done; the client's frames are read and discarded until it ends the stream.
   */
  void shutdownOutput() {
    out.shutdownOutput();
    readOnByItself();
  }

  /** True until a close frame is queued, the output shut down, or the connection ended. */
  boolean isOpen() {
    return !out.closeSent() && getEndPoint().isOpen();
  }

  @Nullable SocketAddress remoteAddress() {
    return getEndPoint().getRemoteSocketAddress();
  }

  // --- Jetty's side ---

  @Override
  public void onUpgradeTo(ByteBuffer buffer) {
    if (BufferUtil.hasContent(buffer)) { // frames the client sent right behind its upgrade request
      RetainableByteBuffer in = pool.acquire(Math.max(INPUT_BUFFER_BYTES, buffer.remaining()), true);
      ByteBuffer b = in.getByteBuffer();
      BufferUtil.append(b, buffer);
      input = in;
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    getEndPoint().setIdleTimeout(0); // liveness is the user's ping's job
    listener.onOpen(this);
  }

  @Override
  public void onFillable() {
    readLoop();
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    ended(cause);
  }

  @Override
  public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
    return false;
  }

  @Override
  public void onClose(@Nullable Throwable cause) {
    super.onClose(cause);
    notifyClose(CloseStatus.NO_CLOSE, "", cause);
    out.ended(cause == null ? new IOException("connection closed") : cause);
  }

  // --- reading ---

  /** Makes the connection read on without demand (the close handshake or a drain). */
  private void readOnByItself() {
    synchronized (readLock) {
      if (running || inputDone) {
        return;
      }
      running = true;
    }
    readLoop();
  }

  /** True if the loop reads on; otherwise it stops (and gives its empty buffer back) under the lock. */
  private boolean reading() {
    synchronized (readLock) {
      if (!inputDone && (demanded || discarding())) {
        return true;
      }
      if (inputDone && input != null) {
        input.release();
        input = null;
      } else {
        releaseIfEmpty();
      }
      running = false;
      return false;
    }
  }

  private boolean discarding() {
    return out.closeSent();
  }

  private void readLoop() {
    try {
      while (reading()) {
        if (parseOne()) {
          continue;
        }
        int n = fill();
        if (n > 0) {
          continue;
        }
        if (n < 0) {
          ended(null);
          return;
        }
        releaseIfEmpty();
        fillInterested(); // running stays true until onFillable
        return;
      }
    } catch (IOException e) {
      ended(e);
    } catch (RuntimeException e) {
      log.warn("reading from {} failed", remoteAddress(), e);
      ended(e);
    }
  }

  private int fill() throws IOException {
    RetainableByteBuffer in = input;
    if (in == null) {
      in = pool.acquire(INPUT_BUFFER_BYTES, true);
      input = in;
    }
    ByteBuffer b = in.getByteBuffer();
    BufferUtil.compact(b);
    return getEndPoint().fill(b);
  }

  private void releaseIfEmpty() {
    RetainableByteBuffer in = input;
    if (in != null && !in.hasRemaining()) {
      input = null;
      in.release();
    }
  }

  /** Reads one frame header or one piece of payload from the buffer; false if it needs more bytes. */
  private boolean parseOne() throws IOException {
    RetainableByteBuffer in = input;
    if (in == null) {
      return false;
    }
    ByteBuffer b = in.getByteBuffer();
    if (inFrame) {
      return dataPiece(b);
    }
    if (b.remaining() < 2) {
      return false;
    }
    int at = b.position();
    int b0 = b.get(at) & 0xff;
    int b1 = b.get(at + 1) & 0xff;
    if ((b0 & 0x70) != 0) {
      return failed(CloseStatus.PROTOCOL, "reserved bits set (no extension was agreed)");
    }
    if ((b1 & 0x80) == 0) {
      return failed(CloseStatus.PROTOCOL, "a client's frame must be masked");
    }
    int len7 = b1 & 0x7f;
    int headerBytes = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
    if (b.remaining() < headerBytes) {
      return false;
    }
    boolean fin = (b0 & 0x80) != 0;
    int opcode = b0 & 0x0f;
    long length = len7;
    if (len7 == 126) {
      length = b.getShort(at + 2) & 0xffff;
    } else if (len7 == 127) {
      length = b.getLong(at + 2);
      if (length < 0) {
        return failed(CloseStatus.PROTOCOL, "frame length over 2^63");
      }
    }
    boolean control = (opcode & 0x08) != 0;
    if (control) {
      if (opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
        return failed(CloseStatus.PROTOCOL, "unknown opcode " + opcode);
      }
      if (!fin) {
        return failed(CloseStatus.PROTOCOL, "a control frame may not be fragmented");
      }
      if (length > MAX_CONTROL_PAYLOAD) {
        return failed(CloseStatus.PROTOCOL, "a control frame's payload is at most 125 bytes");
      }
      if (b.remaining() < headerBytes + length) {
        return false; // control frames are handled whole
      }
    } else if (opcode == OP_CONTINUATION) {
      if (messageOpcode < 0) {
        return failed(CloseStatus.PROTOCOL, "a continuation frame outside a message");
      }
    } else if (opcode == OP_TEXT || opcode == OP_BINARY) {
      if (messageOpcode >= 0) {
        return failed(CloseStatus.PROTOCOL, "a new message before the last one ended");
      }
    } else {
      return failed(CloseStatus.PROTOCOL, "unknown opcode " + opcode);
    }
    b.position(at + headerBytes - 4);
    b.get(mask);
    maskAt = 0;
    if (control) {
      ByteBuffer payload = b.slice(b.position(), (int) length);
      unmask(payload);
      b.position(b.position() + (int) length);
      return control(opcode, payload);
    }
    if (opcode != OP_CONTINUATION) {
      messageOpcode = opcode;
    }
    inFrame = true;
    frameFin = fin;
    payloadLeft = length;
    if (length == 0) {
      return dataPiece(b);
    }
    return true;
  }

  /** Hands the listener what the buffer holds of the current data frame's payload. */
  private boolean dataPiece(ByteBuffer b) {
    int n = (int) Math.min(payloadLeft, b.remaining());
    if (n == 0 && payloadLeft > 0) {
      return false;
    }
    ByteBuffer piece = b.slice(b.position(), n);
    b.position(b.position() + n);
    payloadLeft -= n;
    boolean frameEnds = payloadLeft == 0;
    boolean last = frameEnds && frameFin;
    boolean text = messageOpcode == OP_TEXT;
    if (frameEnds) {
      inFrame = false;
    }
    if (last) {
      messageOpcode = -1;
    }
    if (discarding()) {
      return true;
    }
    unmask(piece);
    if (last) {
      synchronized (readLock) {
        demanded = false; // before the listener can ask again from another thread
      }
    }
    listener.onData(piece, text, last);
    return true;
  }

  private void unmask(ByteBuffer payload) {
    int start = payload.position();
    int end = payload.limit();
    int k = maskAt;
    for (int i = start; i < end; i++) {
      payload.put(i, (byte) (payload.get(i) ^ mask[k]));
      k = (k + 1) & 3;
    }
    maskAt = k;
  }

  private boolean control(int opcode, ByteBuffer payload) throws IOException {
    switch (opcode) {
      case OP_PING -> {
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        out.sendPong(data);
        listener.onControl();
      }
      case OP_PONG -> listener.onControl();
      default -> closeReceived(payload);
    }
    return true;
  }

  private boolean closeReceived(ByteBuffer payload) {
    int status = CloseStatus.NO_CODE;
    String reason = "";
    if (payload.remaining() == 1) {
      return failed(CloseStatus.PROTOCOL, "a close frame's payload is empty or starts with a status code");
    }
    if (payload.remaining() >= 2) {
      status = payload.getShort() & 0xffff;
      if (!CloseStatus.sendable(status)) {
        return failed(CloseStatus.PROTOCOL, "close status " + status + " may not be sent");
      }
      try {
        reason = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(payload).toString();
      } catch (CharacterCodingException e) {
        return failed(CloseStatus.BAD_PAYLOAD, "a close reason must be UTF-8");
      }
    }
    synchronized (readLock) {
      inputDone = true;
    }
    notifyClose(status, reason, null);
    out.answerClose(status == CloseStatus.NO_CODE ? CloseStatus.NORMAL : status);
    return true;
  }

  /** Fails the connection: the listener hears {@code status}, the client gets a close frame, then the TCP connection ends. */
  private boolean failed(int status, String why) {
    log.debug("failing the WebSocket of {}: {}", remoteAddress(), why);
    synchronized (readLock) {
      inputDone = true;
    }
    notifyClose(status, why, null);
    out.sendClose(status, why, true);
    return true;
  }

  /** The stream ended or failed: the listener hears it, the TCP connection is closed. */
  private void ended(@Nullable Throwable failure) {
    synchronized (readLock) { // the caller owns the loop (it read, or its fill interest failed)
      inputDone = true;
      running = false;
      if (input != null) {
        input.release();
        input = null;
      }
    }
    notifyClose(CloseStatus.NO_CLOSE, "", failure);
    getEndPoint().close(failure);
  }

  private void notifyClose(int status, String reason, @Nullable Throwable failure) {
    if (notified.compareAndSet(false, true)) {
      listener.onClose(status, reason, failure);
    }
  }
}
