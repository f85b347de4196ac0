package dev.loam.repo.protocol;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One automerge-repo network message, as sent in one binary WebSocket frame: {@link #encode()}
 * writes the frame, {@link #decode} reads one. The frame is one CBOR map with text keys, binary
 * fields as byte strings, as automerge-repo 2.x writes it. The handshake messages ({@link Join}, {@link Peer},
 * {@link Leave}, {@link Error}) belong to the WebSocket adapters' protocol; the rest are the repo's
 * and carry a {@code targetId}. Immutable records; a new type arriving from a newer peer decodes
 * as {@link Unknown}.
 */
public sealed interface RepoMessage {
  /** The automerge-repo protocol version Loam speaks. */
  String PROTOCOL_VERSION = "1";

  /** The {@code type} field on the wire. */
  String type();

  /** The peer that sent the message. */
  PeerId senderId();

  /**
   * The message in {@code frame}. Lenient where JS's {@code cbor-x} output varies (the
   * {@code undefined} value reads as absent, unknown keys are ignored, integers may come as
   * floats); a message of a type this version does not know decodes as {@link Unknown}.
   *
   * @throws ProtocolException if the frame is not one CBOR map forming a valid message
   */
  static RepoMessage decode(byte[] frame) {
    return RepoMessageCodec.decode(frame);
  }

  /** This message's CBOR frame: canonical CBOR, absent fields omitted; an {@link Unknown} gives back its frame. */
  default byte[] encode() {
    return RepoMessageCodec.encode(this);
  }

  /**
   * The peer this message is addressed to, or empty for {@link Join} and {@link Leave}, which go to
   * whoever is at the other end of the connection (and for an {@link Error} or {@link Unknown}
   * without a {@code targetId}). Adapters route by it.
   */
  default Optional<PeerId> target() {
    return switch (this) {
      case DocMessage m -> Optional.of(m.targetId());
      case RemoteSubscriptionChange m -> Optional.of(m.targetId());
      case Peer m -> Optional.of(m.targetId());
      case Error m -> m.targetId();
      case Unknown m -> m.targetId();
      case Join m -> Optional.empty();
      case Leave m -> Optional.empty();
    };
  }

  /**
   * Client to server, first on every connection: who I am and which protocol versions I speak.
   * Without {@code supportedProtocolVersions} a peer speaks version 1 (older JS clients omit it).
   */
  record Join(PeerId senderId, Optional<PeerMetadata> peerMetadata, Optional<List<String>> supportedProtocolVersions)
      implements RepoMessage {
    public Join {
      Objects.requireNonNull(peerMetadata);
      supportedProtocolVersions = supportedProtocolVersions.map(List::copyOf);
    }

    /** A join that says everything: metadata and versions. */
    public Join(PeerId senderId, PeerMetadata peerMetadata, List<String> supportedProtocolVersions) {
      this(senderId, Optional.of(peerMetadata), Optional.of(supportedProtocolVersions));
    }

    @Override public String type() { return "join"; }
  }

  /** Server to client, the answer to {@link Join}. */
  record Peer(PeerId senderId, PeerId targetId, Optional<PeerMetadata> peerMetadata, String selectedProtocolVersion)
      implements RepoMessage {
    public Peer {
      Objects.requireNonNull(peerMetadata);
    }

    /** An answer that carries {@code peerMetadata}. */
    public Peer(PeerId senderId, PeerId targetId, PeerMetadata peerMetadata, String selectedProtocolVersion) {
      this(senderId, targetId, Optional.of(peerMetadata), selectedProtocolVersion);
    }

    @Override public String type() { return "peer"; }
  }

  /** A peer is going away (samod and older JS send it); treat it as a disconnect. */
  record Leave(PeerId senderId) implements RepoMessage {
    @Override public String type() { return "leave"; }
  }

  /** The connection is being refused or closed because of {@code message}. */
  record Error(PeerId senderId, Optional<PeerId> targetId, String message) implements RepoMessage {
    public Error {
      Objects.requireNonNull(targetId);
    }

    /** An error addressed to {@code targetId}. */
    public Error(PeerId senderId, PeerId targetId, String message) {
      this(senderId, Optional.of(targetId), message);
    }

    @Override public String type() { return "error"; }
  }

  /** A message about one document. */
  sealed interface DocMessage extends RepoMessage {
    /** The peer the message is for. */
    PeerId targetId();

    /** The document the message is about. */
    DocumentId documentId();
  }

  /** A sync message about a document. */
  record Sync(PeerId senderId, PeerId targetId, DocumentId documentId, Bytes data) implements DocMessage {
    public Sync {
      requireData(data);
    }

    @Override public String type() { return "sync"; }
  }

  /** The first sync message from a peer with no copy of the document: "I want it". */
  record Request(PeerId senderId, PeerId targetId, DocumentId documentId, Bytes data) implements DocMessage {
    public Request {
      requireData(data);
    }

    @Override public String type() { return "request"; }
  }

  /** "I don't have this document and none of my peers do." */
  record DocUnavailable(PeerId senderId, PeerId targetId, DocumentId documentId) implements DocMessage {
    @Override public String type() { return "doc-unavailable"; }
  }

  /**
   * Presence and cursors, never stored: {@code data} is a CBOR-encoded application payload.
   * {@code count} increases per {@code sessionId}; receivers drop counts they have seen.
   */
  record Ephemeral(PeerId senderId, PeerId targetId, DocumentId documentId, String sessionId, long count, Bytes data)
      implements DocMessage {
    public Ephemeral {
      requireData(data);
    }

    @Override public String type() { return "ephemeral"; }
  }

  /** Heads gossip: the heads some storages hold of a document, as bs58check strings. */
  record RemoteHeadsChanged(PeerId senderId, PeerId targetId, DocumentId documentId, Map<StorageId, RemoteHeads> newHeads)
      implements DocMessage {
    public RemoteHeadsChanged {
      newHeads = Map.copyOf(newHeads);
    }

    @Override public String type() { return "remote-heads-changed"; }
  }

  /** One storage's heads and when they were seen (milliseconds since the epoch). */
  record RemoteHeads(List<String> heads, long timestamp) {
    public RemoteHeads {
      heads = List.copyOf(heads);
    }
  }

  /**
   * Subscribe to ({@code add}) or unsubscribe from ({@code remove}) heads gossip about storages. An
   * empty list is written as an absent field, which automerge-repo treats alike.
   */
  record RemoteSubscriptionChange(PeerId senderId, PeerId targetId, List<StorageId> add, List<StorageId> remove)
      implements RepoMessage {
    public RemoteSubscriptionChange {
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }

    @Override public String type() { return "remote-subscription-change"; }
  }

  /**
   * A message of a type this version does not know, kept whole ({@code frame} is its CBOR) so a
   * relay can pass it on and a receiver can ignore it.
   */
  record Unknown(String type, PeerId senderId, Optional<PeerId> targetId, Bytes frame) implements RepoMessage {
    public Unknown {
      Objects.requireNonNull(targetId);
    }
  }

  private static void requireData(Bytes data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("automerge-repo never sends zero-length data");
    }
  }
}
