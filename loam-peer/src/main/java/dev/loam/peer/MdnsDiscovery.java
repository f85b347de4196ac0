package dev.loam.peer;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Discovery} on the local network by DNS-SD over multicast DNS (RFC 6762/6763, what Apple's
 * Bonjour and Avahi speak), through JmDNS. Each peer registers a service of type
 * {@value #SERVICE_TYPE} on its listening port, with TXT records:
 * <pre>
 *   peer=&lt;peer id&gt;   storage=&lt;storage id, absent for a repo without storage&gt;   protocol=1
 * </pre>
 * The instance name is the peer id (cut to DNS's 63-byte label). A resolved service becomes a
 * {@link Discovery.Found} at {@code ws://<first IPv4 address>:<port>}; a removed one is lost.
 * Services without a {@code peer} record, of another protocol, or that are this peer are ignored.
 *
 * <p>Multicast must be allowed on the chosen interface (a firewall may need UDP 5353 open). By
 * default the first interface that is up, not loopback and multicast-capable, with an IPv4
 * address, is used.
 *
 * <p>Thread-safe; the listener is called on JmDNS's threads.
 */
public final class MdnsDiscovery implements Discovery {
  private static final Logger log = LoggerFactory.getLogger(MdnsDiscovery.class);
  /** The DNS-SD service type Loam peers register. */
  public static final String SERVICE_TYPE = "_loam._tcp.local.";

  private final @Nullable InetAddress address;
  private final ConcurrentHashMap<String, Found> byName = new ConcurrentHashMap<>();
  private @Nullable JmDNS jmdns; // guarded by this
  private @Nullable PeerId self; // guarded by this
  private boolean closed; // guarded by this

  private MdnsDiscovery(@Nullable InetAddress address) {
    this.address = address;
  }

  /** Discovery on the default interface (see the class comment). */
  public static MdnsDiscovery create() {
    return new MdnsDiscovery(null);
  }

  /** Discovery on the interface that has {@code address}. */
  public static MdnsDiscovery on(InetAddress address) {
    return new MdnsDiscovery(Objects.requireNonNull(address));
  }

  /** Registers the service, then browses; blocks while JmDNS binds its socket and probes the name (about a second). */
  @Override
  public void start(Announcement announce, Listener listener) {
    Objects.requireNonNull(listener);
    JmDNS dns;
    synchronized (this) {
      if (self != null || closed) {
        throw new IllegalStateException(closed ? "discovery is closed" : "start is called once");
      }
      self = announce.peerId();
      try {
        InetAddress bind = address != null ? address : defaultAddress();
        dns = JmDNS.create(bind, "loam-" + label(announce.peerId().value(), 40));
        jmdns = dns;
      } catch (IOException e) {
        throw new UncheckedIOException("could not start multicast DNS: " + e.getMessage(), e);
      }
    }
    Map<String, String> txt = new LinkedHashMap<>();
    txt.put("peer", announce.peerId().value());
    announce.storageId().ifPresent(s -> txt.put("storage", s.value()));
    txt.put("protocol", "1");
    try {
      dns.registerService(ServiceInfo.create(SERVICE_TYPE, label(announce.peerId().value(), 63), announce.port(), 0, 0, txt));
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("could not announce on multicast DNS: " + e.getMessage(), e);
    }
    dns.addServiceListener(SERVICE_TYPE, new ServiceListener() {
      @Override
      public void serviceAdded(ServiceEvent event) {
        dns.requestServiceInfo(event.getType(), event.getName(), 1_000);
      }

      @Override
      public void serviceRemoved(ServiceEvent event) {
        Found gone = byName.remove(event.getName());
        if (gone != null) {
          listener.lost(gone.peerId());
        }
      }

      @Override
      public void serviceResolved(ServiceEvent event) {
        // JmDNS resolves a service again on every update: report a peer once, and again only if it moved
        resolved(event.getName(), event.getInfo(), announce.peerId()).ifPresent(found -> {
          if (!found.equals(byName.put(event.getName(), found))) {
            listener.found(found);
          }
        });
      }
    });
    log.info("announcing peer {} on multicast DNS ({}) port {}", announce.peerId(), dns.getName(), announce.port());
  }

  @Override
  public void close() {
    JmDNS dns;
    synchronized (this) {
      closed = true;
      dns = jmdns;
      jmdns = null;
    }
    if (dns != null) {
      dns.unregisterAllServices();
      try {
        dns.close();
      } catch (IOException e) {
        log.warn("closing multicast DNS failed", e);
      }
    }
  }

  /** The peer {@code info} announces, unless it is not a Loam peer of protocol 1 or is {@code self}. */
  static Optional<Found> resolved(String name, ServiceInfo info, PeerId self) {
    String peer = info.getPropertyString("peer");
    Inet4Address[] addresses = info.getInet4Addresses();
    if (peer == null || peer.isEmpty() || !"1".equals(info.getPropertyString("protocol"))
        || addresses.length == 0 || info.getPort() < 1 || info.getPort() > 65_535) {
      log.debug("ignoring the service {}: not a Loam peer of protocol 1 with an IPv4 address", name);
      return Optional.empty();
    }
    PeerId id = PeerId.of(peer);
    if (id.equals(self)) {
      return Optional.empty();
    }
    String storage = info.getPropertyString("storage");
    Optional<StorageId> storageId = storage == null || storage.isEmpty() ? Optional.empty() : Optional.of(StorageId.of(storage));
    URI uri = URI.create("ws://" + addresses[0].getHostAddress() + ":" + info.getPort());
    return Optional.of(new Found(new Announcement(id, storageId, info.getPort()), uri));
  }

  private static String label(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static InetAddress defaultAddress() throws IOException {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp() && !nif.isLoopback() && nif.supportsMulticast()) {
          for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address) {
              return a;
            }
          }
        }
      }
    } catch (SocketException e) {
      throw new IOException("could not list the network interfaces", e);
    }
    return InetAddress.getLocalHost();
  }
}
