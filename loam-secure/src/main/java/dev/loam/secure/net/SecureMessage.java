package dev.loam.secure.net;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureStore;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * A message of the secure wire protocol, spoken on the server's {@value #PATH} WebSocket path:
 * one CBOR map with a text {@code type} per binary frame, binary fields as CBOR byte strings.
 * Immutable.
 *
 * <pre>
 * server                                   client
 *   challenge{nonce, audience}      -->
 *                                   &lt;--    auth{member, nonce, timestamp, audience, signature}
 *   authenticated{}                 -->    (or error{message} and close)
 *                                   &lt;--    pull{documentId, cursor, subscribe, requestNonce,
 *                                               timestamp, audience, signature}
 *   items{documentId, items: [[seq, bytes]...]}* then pulled{documentId, cursor}
 *   (subscribed: later items{...} as the server stores them)
 *                                   &lt;--    push{documentId, items: [bytes...]}
 *   pushed{documentId, accepted: [index...], rejected: [{index, reason}...]}
 * </pre>
 *
 * <p>Signatures are Ed25519 over a domain and the fields in a fixed binary order ({@link Auth#signedBytes},
 * {@link Pull#signedBytes}); a pull also signs the connection's challenge nonce, so it is bound to
 * the connection it was made for.
 */
public sealed interface SecureMessage {
  /** The WebSocket path of the protocol on a Loam server. */
  String PATH = "/loam-secure/v1";
  /** The largest frame: one item of the largest size plus framing. */
  int MAX_FRAME_BYTES = SecureItem.MAX_ENCODED_BYTES + 64 * 1024;
  /** The most items one {@code items} or {@code push} message carries. */
  int MAX_ITEMS = 1024;
  /** The length of every nonce. */
  int NONCE_LENGTH = 32;
  /** The longest audience text. */
  int MAX_TEXT = 512;

  /** The message's {@code type} field. */
  String type();

  /** The CBOR frame of this message. */
  default byte[] encode() {
    return SecureMessageCodec.encode(this);
  }

  /**
   * The message in {@code frame}.
   *
   * @throws SecureProtocolException if it is not one (too large, not a map, unknown type, a field
   *     missing or wrong); the frame's bytes are never part of the message
   */
  static SecureMessage decode(byte[] frame) {
    return SecureMessageCodec.decode(frame);
  }

  /** Server's first message: sign this nonce for this audience (the server's storage id). */
  record Challenge(Bytes nonce, String audience) implements SecureMessage {
    public Challenge {
      check(nonce.size() == NONCE_LENGTH, "a nonce has " + NONCE_LENGTH + " bytes");
      checkText(audience);
    }

    @Override
    public String type() {
      return "challenge";
    }
  }

  /** The client's answer to a {@link Challenge}: its signing key and signature. */
  record Auth(Ed25519PublicKey member, Bytes nonce, long timestamp, String audience, Bytes signature)
      implements SecureMessage {
    private static final String DOMAIN = "loam-auth-v1\0";

    public Auth {
      check(nonce.size() == NONCE_LENGTH, "a nonce has " + NONCE_LENGTH + " bytes");
      checkText(audience);
      check(signature.size() == Ed25519PublicKey.SIGNATURE_LENGTH, "a signature has 64 bytes");
    }

    /** {@code key}'s answer to {@code challenge}, made at {@code timestamp} (milliseconds since the epoch). */
    public static Auth sign(Ed25519PrivateKey key, Challenge challenge, long timestamp) {
      byte[] body = signedBytes(key.publicKey(), challenge.nonce(), timestamp, challenge.audience());
      return new Auth(key.publicKey(), challenge.nonce(), timestamp, challenge.audience(), Bytes.wrap(key.sign(body)));
    }

    /** The bytes the signature covers: the domain {@code "loam-auth-v1\0"}, key, nonce, timestamp, audience. */
    public static byte[] signedBytes(Ed25519PublicKey member, Bytes nonce, long timestamp, String audience) {
      return new SignedBytes(DOMAIN).key(member).bytes(nonce).number(timestamp).text(audience).done();
    }

    /** Whether the signature is {@link #member}'s over this message's fields. */
    public boolean verifies() {
      return member.verify(signedBytes(member, nonce, timestamp, audience), signature.toByteArray());
    }

    @Override
    public String type() {
      return "auth";
    }
  }

  /** The server's word that the {@link Auth} was accepted. */
  record Authenticated() implements SecureMessage {
    @Override
    public String type() {
      return "authenticated";
    }
  }

  /** A signed request for a document's items after {@code cursor}; {@code subscribe} asks for later ones too. */
  record Pull(DocumentId documentId, long cursor, boolean subscribe, Bytes requestNonce, long timestamp,
              String audience, Bytes signature) implements SecureMessage {
    private static final String DOMAIN = "loam-request-v1\0";

    public Pull {
      check(cursor >= 0, "a cursor is never negative");
      check(requestNonce.size() == NONCE_LENGTH, "a nonce has " + NONCE_LENGTH + " bytes");
      checkText(audience);
      check(signature.size() == Ed25519PublicKey.SIGNATURE_LENGTH, "a signature has 64 bytes");
    }

    /**
     * A pull signed by {@code key} on the connection whose challenge carried {@code challengeNonce}.
     */
    public static Pull sign(Ed25519PrivateKey key, Bytes challengeNonce, DocumentId document, long cursor,
                            boolean subscribe, Bytes requestNonce, long timestamp, String audience) {
      byte[] body = signedBytes(key.publicKey(), challengeNonce, document, cursor, subscribe, requestNonce, timestamp,
          audience);
      return new Pull(document, cursor, subscribe, requestNonce, timestamp, audience, Bytes.wrap(key.sign(body)));
    }

    /**
     * The bytes the signature covers: the domain {@code "loam-request-v1\0"}, the word {@code pull},
     * key, challenge nonce, document, cursor, subscribe, request nonce, timestamp, audience.
     */
    public static byte[] signedBytes(Ed25519PublicKey member, Bytes challengeNonce, DocumentId document, long cursor,
                                     boolean subscribe, Bytes requestNonce, long timestamp, String audience) {
      return new SignedBytes(DOMAIN).text("pull").key(member).bytes(challengeNonce).bytes(document.bytes()).number(cursor)
          .number(subscribe ? 1 : 0).bytes(requestNonce).number(timestamp).text(audience).done();
    }

    /** Whether the signature is {@code member}'s over this pull made on the connection of {@code challengeNonce}. */
    public boolean verifies(Ed25519PublicKey member, Bytes challengeNonce) {
      return member.verify(signedBytes(member, challengeNonce, documentId, cursor, subscribe, requestNonce, timestamp,
          audience), signature.toByteArray());
    }

    @Override
    public String type() {
      return "pull";
    }
  }

  /** Stored items of a document, in order, with their sequence numbers. */
  record Items(DocumentId documentId, List<SecureStore.StoredBytes> items) implements SecureMessage {
    public Items {
      items = List.copyOf(items);
      check(items.size() <= MAX_ITEMS, "at most " + MAX_ITEMS + " items");
    }

    @Override
    public String type() {
      return "items";
    }
  }

  /**
   * The end of a pull's answer: {@code cursor} is the sequence number to pull after next time
   * (0, with no items, for a document the server does not hold or the member may not pull).
   */
  record Pulled(DocumentId documentId, long cursor) implements SecureMessage {
    public Pulled {
      check(cursor >= 0, "a cursor is never negative");
    }

    @Override
    public String type() {
      return "pulled";
    }
  }

  /** Signed items for the server to check and store, in a causal order. */
  record Push(DocumentId documentId, List<Bytes> items) implements SecureMessage {
    public Push {
      items = List.copyOf(items);
      check(items.size() <= MAX_ITEMS, "at most " + MAX_ITEMS + " items");
    }

    @Override
    public String type() {
      return "push";
    }
  }

  /** The answer to a {@link Push}: the indexes of the items stored (durably) and why the others were not. */
  record Pushed(DocumentId documentId, List<Integer> accepted, List<Rejection> rejected) implements SecureMessage {
    public Pushed {
      accepted = List.copyOf(accepted);
      rejected = List.copyOf(rejected);
      check(accepted.size() + rejected.size() <= MAX_ITEMS, "at most " + MAX_ITEMS + " items");
    }

    @Override
    public String type() {
      return "pushed";
    }
  }

  /** Why the item at {@code index} of a push was not stored. */
  record Rejection(int index, String reason) {
    public Rejection {
      check(index >= 0 && index < MAX_ITEMS, "an index is 0 to " + (MAX_ITEMS - 1));
      checkText(reason);
    }
  }

  /** The server's last word before it closes the connection. */
  record Error(String message) implements SecureMessage {
    public Error {
      checkText(message);
    }

    @Override
    public String type() {
      return "error";
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  private static void checkText(String text) {
    check(text.length() <= MAX_TEXT, "text over " + MAX_TEXT + " characters");
  }
}
