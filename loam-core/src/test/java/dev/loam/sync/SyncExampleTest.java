package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.ObjId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.sync}'s Javadoc: two peers sync until both are quiet. */
class SyncExampleTest {
  @Test
  void aPeerWithNothingCatchesUp() {
    Document laptop = Document.create();
    laptop.put(ObjId.ROOT, "note", "buy milk");
    laptop.commit();
    Document phone = Document.create();

    // @start region="example"
    SyncState laptopToPhone = new SyncState();        // one state per peer, kept between messages
    SyncState phoneToLaptop = new SyncState();
    int messages = 0;
    while (true) {
      Optional<SyncMessage> out = Sync.generateSyncMessage(laptop, laptopToPhone);
      out.ifPresent(m -> Sync.receiveSyncMessage(phone, phoneToLaptop, m.encode())); // any transport of bytes
      Optional<SyncMessage> back = Sync.generateSyncMessage(phone, phoneToLaptop);
      back.ifPresent(m -> Sync.receiveSyncMessage(laptop, laptopToPhone, m.encode()));
      if (out.isEmpty() && back.isEmpty()) {
        break;                                        // neither side has anything to send
      }
      messages += (out.isPresent() ? 1 : 0) + (back.isPresent() ? 1 : 0);
    }
    // @end
    assertEquals("{\"note\":\"buy milk\"}", phone.toJson());
    assertEquals(laptop.heads(), phone.heads());
    assertTrue(messages >= 2 && messages <= 4, messages + " messages");
  }
}
