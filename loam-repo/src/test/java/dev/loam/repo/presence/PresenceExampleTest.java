package dev.loam.repo.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.repo.presence}'s Javadoc: announce who is here and where the cursor is. */
class PresenceExampleTest {
  @Test
  void myStateIsTheSnapshotMergedWithMyUpdates() {
    try (Repo repo = Repo.builder().build()) {
      DocHandle note = repo.create();
      // @start region="example"
      try (Presence presence = Presence.builder(note).listener(event -> System.out.println(event)).build()) {
        presence.start(Map.of("name", "Ada"));                  // a snapshot to every peer of the note
        presence.broadcast("cursor", Map.of("index", 42));      // an update on one channel
        presence.peerStates().forEach((peer, state) -> System.out.println(peer + " is at " + state.value()));
        // @end
        assertEquals(Map.of("name", "Ada", "cursor", Map.of("index", 42)), presence.localState());
        presence.stop();
        assertFalse(presence.running());
      }
    }
  }
}
