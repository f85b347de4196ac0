package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.net.SecureMessage;
import dev.loam.secure.net.SecureMessage.Auth;
import dev.loam.secure.net.SecureMessage.Authenticated;
import dev.loam.secure.net.SecureMessage.Challenge;
import dev.loam.secure.net.SecureMessage.Items;
import dev.loam.secure.net.SecureMessage.Pull;
import dev.loam.secure.net.SecureMessage.Pulled;
import dev.loam.secure.net.SecureMessage.Push;
import dev.loam.secure.net.SecureMessage.Pushed;
import dev.loam.secure.net.SecureProtocolException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection on the secure path: sends the challenge, checks the device's {@code auth} (its
 * key signed this connection's nonce for this server's audience within the time window), then
 * checks every {@code pull} (signed by that key, bound to this connection's challenge, fresh
 * nonce and timestamp, this audience) before {@link SecureHost} answers it; {@code push} needs an
 * authenticated connection, its items are checked by their own signers. Anything out of place
 * gets {@code error} and the connection closes. Called on the connection's worker, one message at
 * a time; {@link #send} and {@link #member} from any thread.
 */
final class SecureSession implements ConnectionProtocol<SecureMessage> {
  private static final Logger log = LoggerFactory.getLogger(SecureSession.class);
  /** The most documents one connection may subscribe to. */
  static final int MAX_SUBSCRIPTIONS = 1024;

  private final SecureHost host;
  private final WebSocketServerAdapter adapter;
  private final Bytes challenge;
  private final Set<DocumentId> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile @Nullable WebSocketConnection connection;
  private volatile @Nullable Ed25519PublicKey member;

  SecureSession(SecureHost host, WebSocketServerAdapter adapter, Bytes challenge) {
    this.host = host;
    this.adapter = adapter;
    this.challenge = challenge;
  }

  /** The key this connection authenticated as, once it has. */
  Optional<Ed25519PublicKey> member() {
    return Optional.ofNullable(member);
  }

  @Override
  public void opened(WebSocketConnection c) {
    connection = c;
    adapter.opened(c); // pinged, counted and closed on shutdown like every socket
    send(new Challenge(challenge, host.audience()));
  }

  @Override
  public SecureMessage decode(byte[] frame) {
    return SecureMessage.decode(frame);
  }

  @Override
  public String decodeFailure(RuntimeException failure) {
    return failure instanceof SecureProtocolException ? failure.getMessage() : "malformed message";
  }

  @Override
  public String type(SecureMessage message) {
    return "secure-" + message.type();
  }

  @Override
  public void received(WebSocketConnection c, SecureMessage message) {
    switch (message) {
      case Auth m -> auth(c, m);
      case Pull m -> {
        Ed25519PublicKey key = authenticated(c, m);
        if (key != null && valid(c, key, m)) {
          host.pull(this, key, m);
        }
      }
      case Push m -> {
        Ed25519PublicKey key = authenticated(c, m);
        if (key != null) {
          host.push(this, key, m);
        }
      }
      case Challenge m -> unexpected(c, m);
      case Authenticated m -> unexpected(c, m);
      case Items m -> unexpected(c, m);
      case Pulled m -> unexpected(c, m);
      case Pushed m -> unexpected(c, m);
      case SecureMessage.Error m -> {
        log.info("secure client {} reported an error; closing", c.describe());
        c.close(CloseStatus.NORMAL, "client error", "client-error");
      }
    }
  }

  private void auth(WebSocketConnection c, Auth m) {
    if (member != null) {
      refuse(c, "auth", "already-authenticated", "this connection is authenticated already");
    } else if (!m.nonce().equals(challenge)) {
      refuse(c, "auth", "other-challenge", "the auth answers another connection's challenge");
    } else if (!m.audience().equals(host.audience())) {
      refuse(c, "auth", "wrong-audience", "the auth is meant for another server");
    } else if (!m.verifies()) {
      refuse(c, "auth", "bad-signature", "the auth's signature does not verify");
    } else if (fresh(c, "auth", m.nonce(), m.timestamp())) {
      member = m.member();
      host.metrics().secureRequest("auth", "ok");
      log.debug("secure connection {} authenticated", c.describe());
      send(new Authenticated());
    }
  }

  private boolean valid(WebSocketConnection c, Ed25519PublicKey key, Pull m) {
    if (!m.audience().equals(host.audience())) {
      refuse(c, "pull", "wrong-audience", "the pull is meant for another server");
      return false;
    }
    if (!m.verifies(key, challenge)) {
      refuse(c, "pull", "bad-signature", "the pull is not signed by this connection's key for this connection");
      return false;
    }
    if (!fresh(c, "pull", m.requestNonce(), m.timestamp())) {
      return false;
    }
    if (m.subscribe() && !subscriptions.contains(m.documentId()) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      refuse(c, "pull", "too-many-subscriptions", "over " + MAX_SUBSCRIPTIONS + " subscriptions on one connection");
      return false;
    }
    host.metrics().secureRequest("pull", "ok");
    return true;
  }

  private boolean fresh(WebSocketConnection c, String type, Bytes nonce, long timestamp) {
    return switch (host.replays().check(nonce, timestamp)) {
      case FRESH -> true;
      case OUTSIDE_WINDOW -> {
        refuse(c, type, "outside-window", "the " + type + "'s timestamp is over " + ReplayGuard.WINDOW.toSeconds()
            + " s from the server's clock");
        yield false;
      }
      case REPLAYED -> {
        refuse(c, type, "replayed", "the " + type + " was seen before (replayed)");
        yield false;
      }
      case FULL -> {
        refuse(c, type, "busy", "the server remembers too many requests now; try again later");
        yield false;
      }
    };
  }

  private @Nullable Ed25519PublicKey authenticated(WebSocketConnection c, SecureMessage m) {
    Ed25519PublicKey key = member;
    if (key == null) {
      refuse(c, m.type(), "unauthenticated", "authenticate before " + m.type());
    }
    return key;
  }

  private void unexpected(WebSocketConnection c, SecureMessage m) {
    refuse(c, m.type(), "unexpected", "a client never sends " + m.type());
  }

  private void refuse(WebSocketConnection c, String type, String outcome, String why) {
    host.metrics().secureRequest(type, outcome);
    log.info("refusing secure {} on {}: {}", type, c.describe(), outcome);
    c.refuse(CloseStatus.POLICY_VIOLATION, why, "secure-" + outcome);
  }

  /** Records a subscription; false if it was there already. */
  boolean subscribe(DocumentId doc) {
    return subscriptions.add(doc);
  }

  void unsubscribed(DocumentId doc) {
    subscriptions.remove(doc);
  }

  /** Queues {@code message} for the client (any thread). */
  void send(SecureMessage message) {
    WebSocketConnection c = connection;
    if (c != null) {
      c.sendFrame(message.encode(), type(message));
    }
  }

  @Override
  public void closed(WebSocketConnection c) {
    adapter.closed(c);
    host.forget(this, Set.copyOf(subscriptions));
  }

  @Override
  public byte[] errorFrame(WebSocketConnection c, String message) {
    return new SecureMessage.Error(message.length() <= SecureMessage.MAX_TEXT ? message
        : message.substring(0, SecureMessage.MAX_TEXT)).encode();
  }
}
