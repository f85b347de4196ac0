package dev.loam.mcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * Standard input that says when it has ended: end of stream, a read error, close, or a line (one
 * JSON-RPC message) longer than the limit, after which it reads as ended, so that the transport
 * stops and {@code loam mcp} exits saying why instead of waiting on a session that can no longer
 * be read. Read by the transport's thread, awaited by the command's.
 */
final class EndOfInput extends FilterInputStream {
  private final CountDownLatch ended = new CountDownLatch(1);
  private final long maxLine;
  private long line; // bytes since the last newline; the reading thread's
  private volatile boolean tooLong;

  EndOfInput(InputStream in, long maxLine) {
    super(in);
    this.maxLine = maxLine;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (tooLong) {
      return -1;
    }
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      ended.countDown();
      throw e;
    }
    if (n < 0) {
      ended.countDown();
      return n;
    }
    for (int i = off; i < off + n; i++) {
      line = b[i] == '\n' ? 0 : line + 1;
      if (line > maxLine) {
        tooLong = true;
        ended.countDown();
        return -1;
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    ended.countDown();
    super.close();
  }

  /** Blocks until the input has ended. */
  void await() throws InterruptedException {
    ended.await();
  }

  /** Whether it ended on a line longer than the limit. */
  boolean endedOnALongLine() {
    return tooLong;
  }
}
