package dev.loam.repo.testing;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NetworkAdapter} over a {@link FakeNetwork}: repo messages travel through the seeded
 * network (lost, reordered, duplicated as it is configured, delivered when the test says), while
 * peers find each other through a {@link Hub} directly, so the handshake is never lost. Every
 * adapter of a hub sees every other as a peer. Callbacks run on the thread that connects, cycles
 * or delivers. Thread-safe.
 */
public final class FakeNetworkAdapter implements NetworkAdapter {
  /** Who is connected to one {@link FakeNetwork}. */
  public static final class Hub {
    private final FakeNetwork network;
    private final Map<PeerId, FakeNetworkAdapter> members = new LinkedHashMap<>();

    public Hub(FakeNetwork network) {
      this.network = network;
    }

    public FakeNetwork network() {
      return network;
    }

    /** A new adapter on this hub. */
    public FakeNetworkAdapter adapter() {
      return new FakeNetworkAdapter(this);
    }

    /**
     * Tells every adapter of the hub that {@code peer}, a raw {@link FakeNetwork.Endpoint} the test
     * drives by hand, is connected.
     */
    public void announce(PeerId peer, PeerMetadata metadata) {
      List<FakeNetworkAdapter> all;
      synchronized (this) {
        all = new ArrayList<>(members.values());
      }
      for (FakeNetworkAdapter a : all) {
        a.listener.peerCandidate(peer, metadata);
      }
    }

    /** Every peer sees every other disconnect, then connect again (fresh sync conversations). */
    public void cycle() {
      List<FakeNetworkAdapter> all;
      synchronized (this) {
        all = new ArrayList<>(members.values());
      }
      for (FakeNetworkAdapter a : all) {
        for (FakeNetworkAdapter b : all) {
          if (a != b) {
            a.listener.peerDisconnected(b.self);
          }
        }
      }
      for (FakeNetworkAdapter a : all) {
        for (FakeNetworkAdapter b : all) {
          if (a != b) {
            a.listener.peerCandidate(b.self, b.metadata);
          }
        }
      }
    }
  }

  private final Hub hub;
  private @Nullable PeerId self;
  private @Nullable PeerMetadata metadata;
  private @Nullable Listener listener;
  private FakeNetwork.@Nullable Endpoint endpoint;
  private boolean closed;

  private FakeNetworkAdapter(Hub hub) {
    this.hub = hub;
  }

  @Override
  public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
    List<FakeNetworkAdapter> others;
    synchronized (hub) {
      this.self = self;
      this.metadata = metadata;
      this.listener = listener;
      this.endpoint = hub.network.join(self, m -> {
        if (!closed) {
          listener.message(m);
        }
      });
      others = new ArrayList<>(hub.members.values());
      hub.members.put(self, this);
    }
    for (FakeNetworkAdapter o : others) {
      o.listener.peerCandidate(self, metadata);
      listener.peerCandidate(o.self, o.metadata);
    }
  }

  @Override
  public void send(RepoMessage message) {
    synchronized (hub) {
      if (closed || endpoint == null) {
        return;
      }
    }
    endpoint.send(message);
  }

  @Override
  public void close() {
    List<FakeNetworkAdapter> others;
    synchronized (hub) {
      if (closed || endpoint == null) {
        closed = true;
        return;
      }
      closed = true;
      hub.members.remove(self);
      endpoint.leave();
      others = new ArrayList<>(hub.members.values());
    }
    for (FakeNetworkAdapter o : others) {
      o.listener.peerDisconnected(self);
    }
  }
}
