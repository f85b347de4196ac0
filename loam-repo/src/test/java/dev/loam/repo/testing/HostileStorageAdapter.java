package dev.loam.repo.testing;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a storage adapter and makes its writes fail, lie, tear or stall, repeatably from a seed,
 * to prove that the layer above never loses what it acknowledged. Reads pass through (until a
 * simulated crash).
 *
 * <p>Faults, each chosen per write with {@link Builder#failureRate}:
 * <ul>
 *   <li>{@link Fault#FAIL_BEFORE}: throws, nothing written (a full disk);
 *   <li>{@link Fault#FAIL_AFTER}: writes, then throws (an fsync error after the data landed);
 *   <li>{@link Fault#TORN}: writes a prefix of the bytes, then throws (a non-atomic adapter such
 *       as node-fs's, dying mid-write).
 * </ul>
 * {@link Builder#crashAfterWrites} makes every call after the n-th write throw, as if the process
 * died there: the delegate then holds exactly what a restarted process would find.
 *
 * <p>Thread-safe if the delegate is; the random source is shared under a lock, so the fault
 * sequence is repeatable only when one thread writes.
 */
public final class HostileStorageAdapter implements StorageAdapter {
  /** How a write goes wrong. */
  public enum Fault { FAIL_BEFORE, FAIL_AFTER, TORN }

  private final StorageAdapter delegate;
  private final Random random;
  private final double failureRate;
  private final Set<Fault> faults;
  private final int maxDelayMillis;
  private final int crashAfterWrites;
  private final AtomicInteger writes = new AtomicInteger();
  private volatile boolean crashed;

  private HostileStorageAdapter(Builder b) {
    this.delegate = b.delegate;
    this.random = new Random(b.seed);
    this.failureRate = b.failureRate;
    this.faults = EnumSet.copyOf(b.faults);
    this.maxDelayMillis = b.maxDelayMillis;
    this.crashAfterWrites = b.crashAfterWrites;
  }

  public static Builder builder(StorageAdapter delegate) {
    return new Builder(delegate);
  }

  /** True once the simulated crash has happened. */
  public boolean crashed() {
    return crashed;
  }

  /** Writes attempted so far (including failed ones). */
  public int writes() {
    return writes.get();
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    checkAlive();
    return delegate.load(key);
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    checkAlive();
    return delegate.loadRange(prefix);
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    Fault f = beforeWrite();
    if (f == Fault.FAIL_BEFORE) {
      throw new StorageException("hostile: save " + key + " failed before writing");
    }
    if (f == Fault.TORN && data.size() > 1) {
      byte[] all = data.toByteArray();
      delegate.save(key, Bytes.wrap(java.util.Arrays.copyOf(all, nextInt(all.length - 1) + 1)));
      throw new StorageException("hostile: save " + key + " tore");
    }
    delegate.save(key, data);
    if (f != null) {
      throw new StorageException("hostile: save " + key + " failed after writing");
    }
  }

  @Override
  public void remove(StorageKey key) {
    Fault f = beforeWrite();
    if (f == Fault.FAIL_BEFORE || f == Fault.TORN) {
      throw new StorageException("hostile: remove " + key + " failed");
    }
    delegate.remove(key);
    if (f != null) {
      throw new StorageException("hostile: remove " + key + " failed after removing");
    }
  }

  @Override
  public void removeRange(StorageKey prefix) {
    Fault f = beforeWrite();
    if (f == Fault.FAIL_BEFORE || f == Fault.TORN) {
      throw new StorageException("hostile: removeRange " + prefix + " failed");
    }
    delegate.removeRange(prefix);
    if (f != null) {
      throw new StorageException("hostile: removeRange " + prefix + " failed after removing");
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  private Fault beforeWrite() {
    checkAlive();
    if (writes.incrementAndGet() > crashAfterWrites) {
      crashed = true;
      checkAlive();
    }
    int delay = maxDelayMillis == 0 ? 0 : nextInt(maxDelayMillis + 1);
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("hostile: interrupted");
      }
    }
    synchronized (random) {
      if (faults.isEmpty() || random.nextDouble() >= failureRate) {
        return null;
      }
      Fault[] all = faults.toArray(new Fault[0]);
      return all[random.nextInt(all.length)];
    }
  }

  private int nextInt(int bound) {
    synchronized (random) {
      return random.nextInt(bound);
    }
  }

  private void checkAlive() {
    if (crashed) {
      throw new StorageException("hostile: the process has crashed");
    }
  }

  /** Configures a {@link HostileStorageAdapter}; by default it is honest. */
  public static final class Builder {
    private final StorageAdapter delegate;
    private long seed;
    private double failureRate;
    private Set<Fault> faults = EnumSet.allOf(Fault.class);
    private int maxDelayMillis;
    private int crashAfterWrites = Integer.MAX_VALUE;

    private Builder(StorageAdapter delegate) {
      this.delegate = delegate;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The share of writes that go wrong, 0 to 1. */
    public Builder failureRate(double rate) {
      this.failureRate = rate;
      return this;
    }

    /** Which faults to draw from (all by default). */
    public Builder faults(Set<Fault> faults) {
      this.faults = EnumSet.copyOf(faults);
      return this;
    }

    /** Sleeps up to this long before each write, to widen race windows. */
    public Builder maxDelayMillis(int millis) {
      this.maxDelayMillis = millis;
      return this;
    }

    /** Every call after the {@code n}-th write throws: the process "died" there. */
    public Builder crashAfterWrites(int n) {
      this.crashAfterWrites = n;
      return this;
    }

    public HostileStorageAdapter build() {
      return new HostileStorageAdapter(this);
    }
  }
}
