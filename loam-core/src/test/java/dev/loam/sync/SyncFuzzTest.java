package dev.loam.sync;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loam.ActorId;
import dev.loam.CommitOptions;
import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.LoamException;
import dev.loam.ObjId;

/**
 * Coverage-guided fuzz targets for what a sync peer sends: any input is either accepted or
 * rejected with a typed exception ({@link DecodeException}, or {@link SyncLimitException} for
 * limits), and a rejected message leaves the document and the sync state as they were. Without
 * {@code JAZZER_FUZZ=1} each target replays its committed corpus in {@code
 * src/test/resources/dev/loam/sync/SyncFuzzTestInputs/<method>/}.
 */
class SyncFuzzTest {
  private static final SyncLimits SMALL =
      SyncLimits.builder().maxMessageBytes(1 << 20).maxQueuedChanges(256).maxDocumentBytes(1 << 22).build();

  /** The message decoder; whatever decodes re-encodes to an equal message. */
  @FuzzTest(maxDuration = "2m")
  void messageDecode(byte[] input) {
    try {
      SyncMessage m = SyncMessage.decode(input);
      if (!m.equals(SyncMessage.decode(m.encode()))) {
        throw new AssertionError("a decoded message does not survive encode/decode: " + m);
      }
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }

  /** The persisted sync state decoder. */
  @FuzzTest(maxDuration = "2m")
  void stateDecode(byte[] input) {
    try {
      SyncState s = SyncState.decode(input);
      if (!s.sharedHeads().equals(SyncState.decode(s.encode()).sharedHeads())) {
        throw new AssertionError("a decoded sync state does not survive encode/decode");
      }
    } catch (DecodeException expected) {
      // a clean rejection
    }
  }

  /** A whole receive into a document that has a little history: rejected input changes nothing. */
  @FuzzTest(maxDuration = "2m")
  void receive(byte[] input) {
    Document doc = Document.create(ActorId.fromHex("0a0b"));
    doc.transact(CommitOptions.message("seed").withTime(1), tx -> tx.putText(ObjId.ROOT, "t", "hello"));
    SyncState state = new SyncState();
    String json = doc.toJson();
    byte[] stateBefore = state.encode();
    try {
      Sync.receiveSyncMessage(doc, state, input, SMALL);
      Sync.generateSyncMessage(doc, state);
    } catch (DecodeException | SyncLimitException expected) {
      if (!doc.toJson().equals(json) || !java.util.Arrays.equals(state.encode(), stateBefore)) {
        throw new AssertionError("a rejected message changed the document or the sync state", expected);
      }
    } catch (LoamException other) {
      throw new AssertionError("an untyped rejection: " + other, other);
    }
  }
}
