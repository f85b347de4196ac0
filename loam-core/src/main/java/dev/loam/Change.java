package dev.loam;

import java.util.List;
import java.util.Optional;

/**
 * One change in a document's history: the operations one actor committed together, identified
 * by the hash of its encoded chunk.
 *
 * @param time seconds since the Unix epoch as stored; 0 means none
 * @param message the commit message, or empty when there is none
 * @param deps the changes it depends on, sorted
 * @param bytes the change encoded as an Automerge change chunk
 */
public record Change(
    ChangeHash hash,
    ActorId actor,
    long seq,
    long startOp,
    long time,
    Optional<String> message,
    List<ChangeHash> deps,
    int opCount,
    Bytes bytes) {}
