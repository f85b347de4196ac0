package dev.loam.server;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of a {@link FrameConnection}'s output: frames queued in call order from any
 * thread and written by one flusher, as many at a time as are queued (one gathering write), on
 * the thread that queued them or, when the socket cannot take more, on Jetty's selector once it
 * can. Ends with the close frame (after which nothing more is queued; the TCP connection ends once
 * it is written if the handshake is complete) or with the output shut down.
 */
final class FrameWriter {
  private static final Logger log = LoggerFactory.getLogger(FrameWriter.class);
  /** Frames written by one gathering write at most. */
  private static final int MAX_GATHER = 64;
  /** A close frame's reason is at most this many bytes of UTF-8 (125 minus the status). */
  private static final int MAX_REASON_BYTES = 123;

  private final EndPoint endPoint;
  private final Object lock = new Object();
  private final ArrayDeque<Out> queue = new ArrayDeque<>();
  private final Flusher flusher = new Flusher();
  /** The close frame is queued, the output shut down or the connection ended: nothing more is queued (written under lock). */
  private volatile boolean closeSent;
  /** The close frame reached the socket (lock). */
  private boolean closeWritten;
  /** Close the endpoint once the close frame is written (lock). */
  private boolean closeAfterCloseFrame;
  /** Shut the output down once what is in flight is written (lock). */
  private boolean shutdownRequested;
  /** The output is (to be) shut down: no close frame can be sent (lock). */
  private boolean outputShut;

  FrameWriter(EndPoint endPoint) {
    this.endPoint = endPoint;
  }

  /** Queues one binary message; {@code done} runs once it is written or can no longer be. */
  void sendBinary(byte[] payload, Runnable done) {
    queue(new Out(frame(FrameConnection.OP_BINARY, ByteBuffer.wrap(payload)), done));
  }

  void sendPing() {
    queue(new Out(frame(FrameConnection.OP_PING, BufferUtil.EMPTY_BUFFER), null));
  }

  void sendPong(byte[] payload) {
    queue(new Out(frame(FrameConnection.OP_PONG, ByteBuffer.wrap(payload)), null));
  }

  /**
   * Queues the close frame with {@code status} and {@code reason} (cut at a character boundary to
   * fit), unless one was queued already; with {@code thenEnd} the TCP connection ends once it is
   * written.
   */
  void sendClose(int status, String reason, boolean thenEnd) {
    byte[] why = reason.getBytes(StandardCharsets.UTF_8);
    int n = why.length;
    if (n > MAX_REASON_BYTES) {
      n = MAX_REASON_BYTES;
      while (n > 0 && (why[n] & 0xc0) == 0x80) { // not inside a character
        n--;
      }
    }
    ByteBuffer payload = ByteBuffer.allocate(2 + n);
    payload.putShort((short) status).put(why, 0, n).flip();
    Out close = new Out(frame(FrameConnection.OP_CLOSE, payload), this::closeWritten);
    synchronized (lock) {
      if (closeSent) {
        return;
      }
      closeSent = true;
      closeAfterCloseFrame |= thenEnd;
      queue.add(close);
    }
    flusher.iterate();
  }

  /**
   * The client's close frame arrived: ends the TCP connection now if the server's close frame is
   * written (or cannot be), else once it is, answering {@code status} if none was queued yet.
   */
  void answerClose(int status) {
    boolean endNow;
    synchronized (lock) {
      endNow = closeWritten || outputShut;
      if (!endNow) {
        closeAfterCloseFrame = true;
      }
    }
    if (endNow) {
      endPoint.close();
    } else {
      sendClose(status, "", true);
    }
  }

  /** Sends nothing more, not even what is queued; shuts the TCP output down once any write in flight is done. */
  void shutdownOutput() {
    synchronized (lock) {
      shutdownRequested = true;
      outputShut = true;
    }
    dropQueued();
    flusher.iterate();
  }

  /** True once nothing more can be sent. */
  boolean closeSent() {
    return closeSent;
  }

  /** The connection ended: what is queued or in flight is finished, nothing more is queued. */
  void ended(Throwable cause) {
    flusher.abort(cause);
    dropQueued();
  }

  private void dropQueued() {
    List<Out> dropped;
    synchronized (lock) {
      closeSent = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
    }
    dropped.forEach(Out::finish);
  }

  private void closeWritten() {
    boolean end;
    synchronized (lock) {
      closeWritten = true;
      end = closeAfterCloseFrame;
    }
    if (end) {
      endPoint.close();
    }
  }

  private void queue(Out out) {
    boolean queued;
    synchronized (lock) {
      queued = !closeSent;
      if (queued) {
        queue.add(out);
      }
    }
    if (queued) {
      flusher.iterate();
    } else {
      out.finish(); // closing: dropped
    }
  }

  /** A server frame's bytes (FIN, not masked): header and payload as two buffers, the payload not copied. */
  static ByteBuffer[] frame(int opcode, ByteBuffer payload) {
    int n = payload.remaining();
    ByteBuffer header;
    if (n < 126) {
      header = ByteBuffer.allocate(2).put((byte) (0x80 | opcode)).put((byte) n);
    } else if (n <= 0xffff) {
      header = ByteBuffer.allocate(4).put((byte) (0x80 | opcode)).put((byte) 126).putShort((short) n);
    } else {
      header = ByteBuffer.allocate(10).put((byte) (0x80 | opcode)).put((byte) 127).putLong(n);
    }
    return new ByteBuffer[] {header.flip(), payload};
  }

  /** One queued frame and what runs once it is written or dropped. */
  private record Out(ByteBuffer[] buffers, @Nullable Runnable done) {
    void finish() {
      if (done != null) {
        done.run();
      }
    }
  }

  /** Writes what is queued, up to {@link #MAX_GATHER} frames per write. */
  private final class Flusher extends IteratingCallback {
    private final List<Out> inFlight = new ArrayList<>();

    @Override
    protected Action process() {
      synchronized (lock) {
        if (queue.isEmpty()) {
          if (!shutdownRequested) {
            return Action.IDLE;
          }
          shutdownRequested = false;
        } else {
          while (!queue.isEmpty() && inFlight.size() < MAX_GATHER) {
            inFlight.add(queue.poll());
          }
        }
      }
      if (inFlight.isEmpty()) {
        endPoint.shutdownOutput();
        return Action.IDLE;
      }
      ByteBuffer[] buffers = new ByteBuffer[inFlight.size() * 2];
      int i = 0;
      for (Out o : inFlight) {
        buffers[i++] = o.buffers()[0];
        buffers[i++] = o.buffers()[1];
      }
      endPoint.write(this, buffers);
      return Action.SCHEDULED;
    }

    @Override
    protected void onSuccess() {
      finishInFlight();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      log.debug("writing to {} failed", endPoint.getRemoteSocketAddress(), cause);
      finishInFlight();
      dropQueued();
      endPoint.close(cause);
    }

    private void finishInFlight() {
      for (Out o : inFlight) {
        o.finish();
      }
      inFlight.clear();
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }
  }
}
