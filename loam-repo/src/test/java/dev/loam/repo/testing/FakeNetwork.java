package dev.loam.repo.testing;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.RepoMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An in-process network for automerge-repo messages whose every choice comes from one seed, so a
 * failing test replays exactly. Peers {@link #join} with a receiver; {@link Endpoint#send} puts a
 * message in flight (encoded to its CBOR frame, as a real transport would); nothing arrives until
 * the test calls {@link #deliverOne} or {@link #deliverAll}, which pick the next message, possibly
 * out of order, dropped or duplicated as configured, decode it and hand it to the target's
 * receiver on the calling thread.
 *
 * <p>A message goes to its {@code targetId}; {@code join} and {@code leave}, which have none, go to
 * every other peer. {@link #partition} cuts a pair of peers apart (messages between them are
 * dropped) until {@link #heal}.
 *
 * <p>Thread-safe; receivers run outside the network's lock, so they may send.
 */
public final class FakeNetwork {
  private final Random random;
  private double dropRate;
  private double duplicateRate;
  private boolean reorder;
  private final Map<PeerId, Consumer<RepoMessage>> peers = new LinkedHashMap<>();
  private final List<InFlight> inFlight = new ArrayList<>();
  private final Set<Set<PeerId>> cut = new HashSet<>();
  private long delivered;

  private record InFlight(PeerId from, PeerId to, byte[] frame) {}

  private FakeNetwork(Builder b) {
    this.random = new Random(b.seed);
    this.dropRate = b.dropRate;
    this.duplicateRate = b.duplicateRate;
    this.reorder = b.reorder;
  }

  /** A reliable, in-order network. */
  public static FakeNetwork reliable() {
    return builder(0).build();
  }

  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** Connects a peer; {@code receiver} gets every message delivered to it. */
  public synchronized Endpoint join(PeerId id, Consumer<RepoMessage> receiver) {
    if (peers.putIfAbsent(id, receiver) != null) {
      throw new IllegalArgumentException("peer " + id + " has already joined");
    }
    return new Endpoint(id);
  }

  /** Drops every message between {@code a} and {@code b} until {@link #heal}. */
  public synchronized void partition(PeerId a, PeerId b) {
    cut.add(Set.of(a, b));
  }

  public synchronized void heal() {
    cut.clear();
  }

  /** From now on nothing is dropped, duplicated or reordered (a network that recovered). */
  public synchronized void settle() {
    disturb(0, 0, false);
  }

  /** From now on messages are lost, duplicated and reordered as given (the builder's settings, changed mid-test). */
  public synchronized void disturb(double dropRate, double duplicateRate, boolean reorder) {
    this.dropRate = dropRate;
    this.duplicateRate = duplicateRate;
    this.reorder = reorder;
  }

  /** Messages sent but not yet delivered or dropped. */
  public synchronized int inFlight() {
    return inFlight.size();
  }

  /** Messages handed to receivers so far. */
  public synchronized long delivered() {
    return delivered;
  }

  /** Delivers (or drops) one message in flight; false if none was in flight. */
  public boolean deliverOne() {
    InFlight next;
    Consumer<RepoMessage> receiver;
    synchronized (this) {
      if (inFlight.isEmpty()) {
        return false;
      }
      next = inFlight.remove(reorder ? random.nextInt(inFlight.size()) : 0);
      receiver = peers.get(next.to());
      if (receiver == null || cut.contains(Set.of(next.from(), next.to())) || random.nextDouble() < dropRate) {
        return true;
      }
      if (random.nextDouble() < duplicateRate) {
        inFlight.add(next);
      }
      delivered++;
    }
    receiver.accept(RepoMessage.decode(next.frame()));
    return true;
  }

  /**
   * Delivers until nothing is in flight or {@code limit} messages were taken (a guard against
   * peers that never go quiet); returns how many were taken.
   */
  public int deliverAll(int limit) {
    int n = 0;
    while (n < limit && deliverOne()) {
      n++;
    }
    return n;
  }

  private synchronized void send(PeerId from, RepoMessage message) {
    byte[] frame = message.encode();
    Optional<PeerId> to = message.target();
    if (to.isPresent()) {
      inFlight.add(new InFlight(from, to.get(), frame));
      return;
    }
    for (PeerId p : peers.keySet()) {
      if (!p.equals(from)) {
        inFlight.add(new InFlight(from, p, frame));
      }
    }
  }

  /** One peer's connection to the network. Thread-safe. */
  public final class Endpoint {
    private final PeerId id;

    private Endpoint(PeerId id) {
      this.id = id;
    }

    public PeerId peerId() {
      return id;
    }

    /** Puts {@code message} in flight; it arrives when the test delivers it. */
    public void send(RepoMessage message) {
      FakeNetwork.this.send(id, message);
    }

    /** Disconnects: messages to this peer are dropped from now on. */
    public void leave() {
      synchronized (FakeNetwork.this) {
        peers.remove(id);
      }
    }
  }

  /** Configures a {@link FakeNetwork}: reliable and in order unless told otherwise. */
  public static final class Builder {
    private final long seed;
    private double dropRate;
    private double duplicateRate;
    private boolean reorder;

    private Builder(long seed) {
      this.seed = seed;
    }

    public Builder dropRate(double rate) {
      this.dropRate = rate;
      return this;
    }

    public Builder duplicateRate(double rate) {
      this.duplicateRate = rate;
      return this;
    }

    /** Deliver messages in a random order rather than the order sent. */
    public Builder reorder(boolean reorder) {
      this.reorder = reorder;
      return this;
    }

    public FakeNetwork build() {
      return new FakeNetwork(this);
    }
  }
}
