package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.EnvelopeId;
import dev.loam.secure.OpId;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A secure document's entry data and its checks, which need no key: the data is its items one
 * after another, each {@code u32 length ‖ signed encoding}; an item is good if it decodes with a
 * valid signature (which also proves its id), belongs to the document and appears once, and the
 * items together must be exactly what the document's {@link SecureLog} admits. Its heads are the
 * log's membership heads then its envelope heads. Stateless.
 */
final class SecureEntries {
  private SecureEntries() {}

  /** A secure entry's data that is wrong, and why. */
  static final class Bad extends Exception {
    Bad(String message) {
      super(message, null, false, false);
    }
  }

  static byte[] encode(List<Bytes> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Bytes item : items) {
      byte[] b = item.toByteArray();
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  static List<Bytes> decode(byte[] data) throws Bad {
    List<Bytes> items = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(data);
    try {
      while (in.hasRemaining()) {
        int length = in.getInt();
        if (length < 0 || length > SecureItem.MAX_ENCODED_BYTES || length > in.remaining()) {
          throw new Bad("item " + items.size() + " claims " + Integer.toUnsignedString(length) + " bytes, more than remain");
        }
        byte[] item = new byte[length];
        in.get(item);
        items.add(Bytes.wrap(item));
      }
    } catch (BufferUnderflowException e) {
      throw new Bad("the data ends inside an item's length");
    }
    return items;
  }

  /** Checks every item of {@code document} (signatures in parallel) and returns the heads they give. */
  static List<Bytes> verify(DocumentId document, List<Bytes> items) throws Bad {
    List<SecureItem> decoded = new ArrayList<>(items.size());
    Set<Bytes> ids = new HashSet<>();
    List<SecureItem.Decoded> all = SecureItem.decodeAll(items);
    for (int i = 0; i < all.size(); i++) {
      switch (all.get(i)) {
        case SecureItem.Decoded.Malformed m -> throw new Bad("item " + i + " is not a correctly signed item: " + m.reason());
        case SecureItem.Decoded.Item it -> {
          if (!it.item().documentId().equals(document)) {
            throw new Bad("item " + i + " belongs to document " + it.item().documentId());
          }
          if (!ids.add(it.item().itemId())) {
            throw new Bad("item " + i + " (" + it.item().itemId().hex() + ") appears twice");
          }
          decoded.add(it.item());
        }
      }
    }
    return heads(document, decoded);
  }

  /** What a source holds of a secure document that can be backed up: its admitted items, in order, and their heads. */
  record Admitted(List<Bytes> items, List<Bytes> heads) {}

  /**
   * The items of a source's {@code document} that decode, verify and are admitted by its log, in
   * their order, with a line in {@code warnings} for each left out (a damaged store).
   */
  static Admitted admitted(DocumentId document, List<Bytes> items, List<String> warnings) {
    List<SecureItem> good = new ArrayList<>();
    List<SecureItem.Decoded> all = SecureItem.decodeAll(items);
    for (int i = 0; i < all.size(); i++) {
      switch (all.get(i)) {
        case SecureItem.Decoded.Malformed m -> warnings.add("secure document " + document + ": skipped item " + (i + 1)
            + " that is not a correctly signed item: " + m.reason());
        case SecureItem.Decoded.Item it -> good.add(it.item());
      }
    }
    SecureLog log = SecureLog.restore(document, good);
    Set<SecureItem> kept = new HashSet<>(log.items());
    List<Bytes> out = new ArrayList<>();
    for (SecureItem item : good) {
      if (kept.contains(item)) {
        out.add(item.encoded());
      } else {
        warnings.add("secure document " + document + ": skipped item " + item.itemId().hex() + " that its log does not admit");
      }
    }
    return new Admitted(out, headsOf(log));
  }

  /** The heads of items already verified (as a source's storage holds them). */
  static List<Bytes> heads(DocumentId document, List<SecureItem> items) throws Bad {
    SecureLog log = SecureLog.restore(document, items);
    if (log.items().size() != items.size()) {
      throw new Bad((items.size() - log.items().size()) + " of " + items.size()
          + " items are not admitted by the document's log (pending or rejected)");
    }
    return headsOf(log);
  }

  private static List<Bytes> headsOf(SecureLog log) {
    List<Bytes> heads = new ArrayList<>();
    for (OpId op : log.membershipHeads()) {
      heads.add(op.bytes());
    }
    for (EnvelopeId e : log.envelopeHeads()) {
      heads.add(e.bytes());
    }
    return heads;
  }
}
