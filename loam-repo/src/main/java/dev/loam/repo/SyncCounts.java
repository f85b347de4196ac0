package dev.loam.repo;

/**
 * What has passed between a {@link DocHandle} and one peer since the peer joined the document's
 * conversation: sync messages and the changes they carried, each way. Kept as counts, so reading
 * them costs nothing however long the history. Immutable.
 *
 * @param messagesSent sync messages sent to the peer
 * @param messagesReceived sync messages received from it
 * @param changesSent changes those sent messages carried
 * @param changesReceived changes those received messages carried
 */
public record SyncCounts(long messagesSent, long messagesReceived, long changesSent, long changesReceived) {
  /** Nothing yet. */
  public static final SyncCounts NONE = new SyncCounts(0, 0, 0, 0);

  SyncCounts sent(int changes) {
    return new SyncCounts(messagesSent + 1, messagesReceived, changesSent + changes, changesReceived);
  }

  SyncCounts received(int changes) {
    return new SyncCounts(messagesSent, messagesReceived + 1, changesSent, changesReceived + changes);
  }
}
