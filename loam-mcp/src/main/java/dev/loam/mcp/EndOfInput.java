package dev.loam.mcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * Standard input that says when it has ended (end of stream, a read error, or close): the MCP
 * client closed its side, so {@code loam mcp} stops. Read by the transport's thread, awaited by
 * the command's.
 */
final class EndOfInput extends FilterInputStream {
  private final CountDownLatch ended = new CountDownLatch(1);

  EndOfInput(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    return check(() -> super.read());
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return check(() -> super.read(b, off, len));
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

  private interface Read {
    int run() throws IOException;
  }

  private int check(Read read) throws IOException {
    try {
      int n = read.run();
      if (n < 0) {
        ended.countDown();
      }
      return n;
    } catch (IOException | RuntimeException e) {
      ended.countDown();
      throw e;
    }
  }
}
