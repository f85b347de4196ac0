package dev.loam.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's meters, registered in one {@link MeterRegistry}: {@code loam.connections},
 * {@code loam.peers}, {@code loam.documents} and {@code loam.messages.unfinished.bytes} (gauges), {@code loam.messages.received} and
 * {@code loam.messages.sent} (counters tagged with the message {@code type}),
 * {@code loam.messages.suppressed} (repeats not sent, by {@code type}),
 * {@code loam.bytes.received} and {@code loam.bytes.sent}, {@code loam.connections.closed}
 * (tagged with the {@code reason}) and {@code loam.sync.latency} (a timer: from a sync message
 * arriving to its answer being queued, storage write included) and {@code loam.relay} (a timer: from a
 * sync message carrying changes arriving from one peer until the server has queued a sync message
 * about the same document for another peer of it, once per other peer; storage write included:
 * the server's own share of the time a change takes from one client to the others). Secure documents add
 * {@code loam.secure.items} (pushed items by {@code outcome}), {@code loam.secure.requests}
 * (signed requests by {@code type} and {@code outcome}), {@code loam.secure.logs} and
 * {@code loam.secure.nonces} (gauges); secure messages count under types prefixed {@code secure-}.
 * A cluster node adds {@code loam.cluster.notifications.sent}, {@code .send.failed} and
 * {@code .received} (counters), {@code loam.cluster.notification.lag} (a timer with a percentile
 * histogram: from the sending node's clock at the send to this node's at the receipt),
 * {@code loam.cluster.catchups} and {@code loam.cluster.listener.lost} (counters) and
 * {@code loam.cluster.listener.connected} (a gauge).
 * Thread-safe.
 */
public final class ServerMetrics {
  private final MeterRegistry registry;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Timer syncLatency;
  private final Timer relay;
  private final ConcurrentHashMap<String, Counter> in = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> out = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> suppressed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> secureItems = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> secureRequests = new ConcurrentHashMap<>();

  private final java.util.function.Supplier<Counter> clusterSent;
  private final java.util.function.Supplier<Counter> clusterSendFailed;
  private final java.util.function.Supplier<Counter> clusterReceived;
  private final java.util.function.Supplier<Counter> clusterCatchUps;
  private final java.util.function.Supplier<Counter> clusterListenerLost;
  private final java.util.function.Supplier<Timer> clusterLag;

  /** Meters registered in {@code registry}. */
  public ServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bytesIn = Counter.builder("loam.bytes.received").baseUnit("bytes")
        .description("WebSocket message bytes received").register(registry);
    this.bytesOut = Counter.builder("loam.bytes.sent").baseUnit("bytes")
        .description("WebSocket message bytes sent").register(registry);
    this.syncLatency = Timer.builder("loam.sync.latency")
        .description("From a sync message arriving to its answer being queued, storage included")
        .publishPercentileHistogram().register(registry);
    this.relay = Timer.builder("loam.relay")
        .description("From a sync message with changes arriving to the change being queued for each other peer of its document")
        .publishPercentileHistogram().register(registry);
    // registered on first use: a server outside a cluster shows none of them
    this.clusterSent = lazy(() -> counter("loam.cluster.notifications.sent", "Change notifications sent to the other nodes"));
    this.clusterSendFailed = lazy(() -> counter("loam.cluster.notifications.send.failed",
        "Change notifications that could not be sent"));
    this.clusterReceived = lazy(() -> counter("loam.cluster.notifications.received",
        "Change notifications received from the other nodes"));
    this.clusterCatchUps = lazy(() -> counter("loam.cluster.catchups",
        "Catch-up reads of every open document after the listener (re)connected"));
    this.clusterListenerLost = lazy(() -> counter("loam.cluster.listener.lost", "Times the listener lost its connection"));
    this.clusterLag = lazy(() -> Timer.builder("loam.cluster.notification.lag")
        .description("From another node sending a change notification to this node receiving it (the two nodes' clocks)")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry));
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private static <T> java.util.function.Supplier<T> lazy(java.util.function.Supplier<T> make) {
    java.util.concurrent.atomic.AtomicReference<T> ref = new java.util.concurrent.atomic.AtomicReference<>();
    return () -> {
      T v = ref.get();
      if (v == null) {
        ref.compareAndSet(null, make.get()); // a race registers the same meter twice: the registry returns the one
        v = ref.get();
      }
      return v;
    };
  }

  void clusterSent() {
    clusterSent.get().increment();
  }

  void clusterSendFailed() {
    clusterSendFailed.get().increment();
  }

  void clusterReceived(long lagMillis) {
    clusterReceived.get().increment();
    clusterLag.get().record(Duration.ofMillis(lagMillis));
  }

  void clusterCatchUp() {
    clusterCatchUps.get().increment();
  }

  void clusterListenerLost() {
    clusterListenerLost.get().increment();
  }

  /** Meters kept in memory only, for adapters used without a server. */
  public static ServerMetrics none() {
    return new ServerMetrics(new SimpleMeterRegistry());
  }

  /** The registry the meters are in. */
  public MeterRegistry registry() {
    return registry;
  }

  void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  void received(String type, int bytes) {
    in.computeIfAbsent(type, t -> Counter.builder("loam.messages.received").tag("type", t)
        .description("Repo messages received").register(registry)).increment();
    bytesIn.increment(bytes);
  }

  void sent(String type, int bytes) {
    out.computeIfAbsent(type, t -> Counter.builder("loam.messages.sent").tag("type", t)
        .description("Repo messages sent").register(registry)).increment();
    bytesOut.increment(bytes);
  }

  void suppressed(String type) {
    suppressed.computeIfAbsent(type, t -> Counter.builder("loam.messages.suppressed").tag("type", t)
        .description("Repo messages not sent: exact repeats of the last one about the same document").register(registry))
        .increment();
  }

  void connectionClosed(String reason) {
    closed.computeIfAbsent(reason, r -> Counter.builder("loam.connections.closed").tag("reason", r)
        .description("Connections closed, by reason").register(registry)).increment();
  }

  /** A pushed secure item's fate: accepted, duplicate, pending, rejected, malformed, other-document, failed. */
  void secureItem(String outcome) {
    secureItems.computeIfAbsent(outcome, o -> Counter.builder("loam.secure.items").tag("outcome", o)
        .description("Secure items pushed, by outcome").register(registry)).increment();
  }

  /** A signed secure request ({@code auth} or {@code pull}) and its outcome. */
  void secureRequest(String type, String outcome) {
    secureRequests.computeIfAbsent(type + "/" + outcome, k -> Counter.builder("loam.secure.requests").tag("type", type)
        .tag("outcome", outcome).description("Signed secure requests, by type and outcome").register(registry)).increment();
  }

  void syncLatency(long nanos) {
    syncLatency.record(Duration.ofNanos(nanos));
  }

  void relay(long nanos) {
    relay.record(Duration.ofNanos(nanos));
  }
}
