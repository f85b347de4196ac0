package dev.loam.peer;

import dev.loam.repo.id.PeerId;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@link Discovery} among the peers of one process: every {@link #join() member} of one
 * {@code InMemoryDiscovery} finds the others that have started, at {@code ws://HOST:port} for the
 * host given at construction, and loses them when they close. For tests and for apps that run
 * several peers in one JVM; no network traffic.
 *
 * <p>Thread-safe. Listeners are called on the thread that starts or closes a member, outside the
 * lock.
 */
public final class InMemoryDiscovery {
  private final String host;
  private final Map<PeerId, Member> started = new LinkedHashMap<>(); // guarded by this

  /** A discovery network whose peers are reached at {@code host} ({@code 127.0.0.1} in tests). */
  public InMemoryDiscovery(String host) {
    this.host = Objects.requireNonNull(host);
  }

  /** A new member of this network, for one peer. */
  public Discovery join() {
    return new Member();
  }

  private Discovery.Found found(Discovery.Announcement a) {
    return new Discovery.Found(a, URI.create("ws://" + host + ":" + a.port()));
  }

  private final class Member implements Discovery {
    private Discovery.@Nullable Announcement self; // guarded by the network
    private Discovery.@Nullable Listener listener; // guarded by the network

    @Override
    public void start(Announcement announce, Listener hears) {
      List<Member> others;
      synchronized (InMemoryDiscovery.this) {
        if (listener != null) {
          throw new IllegalStateException("start is called once");
        }
        if (started.containsKey(announce.peerId())) {
          throw new IllegalStateException("peer " + announce.peerId() + " is already announced");
        }
        self = announce;
        listener = Objects.requireNonNull(hears);
        others = new ArrayList<>(started.values());
        started.put(announce.peerId(), this);
      }
      for (Member o : others) {
        hears.found(found(Objects.requireNonNull(o.self)));
        Objects.requireNonNull(o.listener).found(found(announce));
      }
    }

    @Override
    public void close() {
      List<Member> others;
      Announcement a;
      synchronized (InMemoryDiscovery.this) {
        a = self;
        if (a == null || started.get(a.peerId()) != this) {
          return;
        }
        started.remove(a.peerId());
        others = new ArrayList<>(started.values());
      }
      for (Member o : others) {
        Objects.requireNonNull(o.listener).lost(a.peerId());
      }
    }
  }
}
