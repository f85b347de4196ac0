/**
 * Automerge's binary storage format: LEB128, the column encodings, the chunk container, change
 * chunks and document chunks.
 *
 * <p>Start with {@link dev.loam.internal.codec.ChunkReader#readAll(byte[])} to split a file into
 * chunks, then decode each one with {@link dev.loam.internal.codec.ChangeChunk#decode} or {@link
 * dev.loam.internal.codec.DocumentChunk#decode}. Every decoder throws {@link
 * dev.loam.DecodeException} for bytes that are not a valid encoding, and nothing else.
 */
@NullMarked
package dev.loam.internal.codec;

import org.jspecify.annotations.NullMarked;
